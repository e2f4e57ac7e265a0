import {
  findCanvas,
  findCanvasVersion,
  findWorkspace,
  lockCanvas,
  findSegment,
  markLaunched,
  requestLookalikes,
  saveResolved,
  type CanvasRecord,
} from '@canvas/db';
import { linkAdSets } from './ad-set-linking.js';
import { lookalikeRequests } from './lookalike-requests.js';
import { resolveFacebookSteps } from './audience-resolution.js';
import type { ApiDeps } from './deps.js';
import { definitionOf } from './stored-definition.js';
import { launchQuotaCheck, type LaunchWarning } from './launch-quota.js';
import { apiError, conflict, notFound, type FieldProblem } from './problem.js';

/** A launched canvas, and what the launch warns about without refusing it. */
export interface Launched {
  canvas: CanvasRecord;
  warnings: LaunchWarning[];
}

/**
 * Launches the newest version: every Facebook step needs a connected ad account with the
 * Custom Audience terms accepted (checked with Meta now) and readable ad sets; audiences to be
 * created are created (once: an edit of the same step keeps its audience), existing ones must be
 * readable; then each audience is added to the ad sets its step names, and the lookalikes steps ask for
 * are recorded for the sync to create. An ad account whose users would risk the sync's retry window is a
 * warning, or a problem when the workspace says so.
 */
export async function launchCanvas(deps: ApiDeps, workspaceId: string, canvasId: string): Promise<Launched> {
  const canvas = await findCanvas(deps.db, workspaceId, canvasId);
  if (!canvas) throw notFound(`canvas ${canvasId}`);
  if (canvas.status === 'archived') throw conflict('CANVAS_ARCHIVED', 'an archived canvas cannot be launched');
  if (canvas.liveVersion === canvas.latestVersion)
    throw conflict(
      'CANVAS_ALREADY_LIVE',
      `version ${canvas.latestVersion} is already live; edit the canvas to create a new version`,
    );
  const version = await findCanvasVersion(deps.db, canvasId, canvas.latestVersion);
  if (!version) throw notFound(`version ${canvas.latestVersion}`);
  const definition = definitionOf(version.definition, { canvasId, version: version.version });

  const problems: FieldProblem[] = [];
  const segmentRefs = [
    { segmentId: definition.entry.segment?.segmentId, path: '/entry/segment/segmentId' },
    { segmentId: definition.entry.inSegment, path: '/entry/inSegment' },
  ];
  for (const { segmentId, path } of segmentRefs) {
    if (segmentId !== undefined && !(await findSegment(deps.db, workspaceId, segmentId)))
      problems.push({
        code: 'segment_not_found',
        path,
        message: `segment ${segmentId} does not exist in this workspace`,
      });
  }
  // before anything changes at Meta: a launch the workspace wants refused on quota creates nothing
  const quota = await launchQuotaCheck(deps, workspaceId, { canvasId, version: version.version, definition });
  if (quota.problems.length > 0 && (await findWorkspace(deps.db, workspaceId))?.blockLaunchOnQuotaRisk) {
    problems.push(...quota.problems);
    throw apiError('LAUNCH_PREFLIGHT_FAILED', `${problems.length} problem(s) found before launch`, problems);
  }
  const {
    resolved,
    problems: stepProblems,
    accounts,
  } = await resolveFacebookSteps(deps, workspaceId, canvasId, definition);
  problems.push(...stepProblems);
  // audiences already created stay recorded, so a retry after fixing a problem reuses them
  await saveResolved(deps.db, canvasId, version.version, resolved);
  if (problems.length > 0) {
    throw apiError('LAUNCH_PREFLIGHT_FAILED', `${problems.length} problem(s) found before launch`, problems);
  }
  const linkProblems = await linkAdSets(deps, definition, resolved, accounts);
  await saveResolved(deps.db, canvasId, version.version, resolved);
  if (linkProblems.length > 0) {
    throw apiError(
      'AD_SET_LINK_FAILED',
      `${linkProblems.length} ad set(s) not linked; the canvas was not launched. ` +
        "Links made are listed in the canvas's audiences and kept; launching again retries the rest",
      linkProblems,
    );
  }
  const prefix = (await findWorkspace(deps.db, workspaceId))?.audienceNamePrefix ?? '';
  const launched = await deps.db.transaction().execute(async (tx) => {
    const locked = await lockCanvas(tx, workspaceId, canvasId);
    if (!locked || locked.latestVersion !== version.version || locked.status === 'archived') {
      throw conflict('CANVAS_CHANGED', 'the canvas changed during launch; try again');
    }
    // the sync creates each once its source is big enough (decision 36)
    await requestLookalikes(tx, lookalikeRequests(definition, resolved, { workspaceId, canvasId, prefix }), deps.now());
    return markLaunched(tx, canvasId, version.version, deps.now());
  });
  return { canvas: launched, warnings: quota.warnings };
}
