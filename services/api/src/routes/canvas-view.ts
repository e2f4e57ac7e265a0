import { findCanvasVersion, type CanvasRecord } from '@canvas/db';
import { canvasAccountProblems } from '../canvas-account-problems.js';
import type { ApiDeps } from '../deps.js';
import { audienceViews } from '../draft-audiences.js';
import { lookalikeViews } from '../lookalike-view.js';
import { definitionOf } from '../stored-definition.js';
import { stepDriftViews } from '../step-drift.js';
import { resyncProblems } from '../resync-problems.js';
import type { CanvasView } from './canvas.schemas.js';

/** A canvas as the API answers it: its newest version, the audiences it has and what stops its Facebook steps. */
export async function canvasView(deps: ApiDeps, canvas: CanvasRecord): Promise<CanvasView> {
  const latest = await findCanvasVersion(deps.db, canvas.id, canvas.latestVersion);
  const live =
    canvas.liveVersion === null || canvas.liveVersion === canvas.latestVersion
      ? undefined
      : await findCanvasVersion(deps.db, canvas.id, canvas.liveVersion);
  const definition = definitionOf(latest?.definition, { canvasId: canvas.id, version: canvas.latestVersion });
  const resolved = latest?.resolved ?? {};
  return {
    id: canvas.id,
    name: canvas.name,
    status: canvas.status,
    liveVersion: canvas.liveVersion,
    latestVersion: canvas.latestVersion,
    hasUnlaunchedChanges: canvas.liveVersion !== canvas.latestVersion,
    definition,
    audiences: audienceViews(resolved),
    lookalikes: await lookalikeViews(deps.db, definition, [resolved, ...(live ? [live.resolved] : [])]),
    accountProblems: [
      ...(await canvasAccountProblems(
        deps.db,
        canvas.workspaceId,
        definition,
        [resolved, ...(live ? [live.resolved] : [])],
        deps.now(),
      )),
      ...(await resyncProblems(deps.db, canvas.workspaceId, canvas.id)),
    ],
    drift: await stepDriftViews(deps.db, canvas.id, definition, [resolved, ...(live ? [live.resolved] : [])]),
    createdAt: canvas.createdAt.toISOString(),
    updatedAt: canvas.updatedAt.toISOString(),
  };
}
