import type { FacebookAudienceStep } from '@canvas/canvas';
import {
  findAdAccountByMetaId,
  findCanvas,
  findCanvasVersion,
  lockCanvas,
  findDefaultAdAccount,
  findWorkspace,
  findSegment,
  markLaunched,
  resolvedByEarlierVersions,
  saveResolved,
  setAdAccountStatus,
  type CanvasRecord,
  type ResolvedSteps,
} from '@canvas/db';
import { isGraphApiError } from '@canvas/meta-graph';
import {
  accountAudiences,
  audienceLimitProblem,
  audienceNameProblem,
  customerFileAudienceLimit,
  type AccountAudiences,
} from './audience-limit.js';
import type { ApiDeps } from './deps.js';
import { definitionOf } from './stored-definition.js';
import { apiError, conflict, notFound, type FieldProblem } from './problem.js';

/** Meta's error code for an ad account at its customer-file audience limit. */
const audienceLimitCode = 2654;

/**
 * Launches the newest version: every Facebook step needs a connected ad account with the
 * Custom Audience terms accepted (checked with Meta now); audiences to be created are created
 * (once: an edit of the same step keeps its audience); existing ones must be readable.
 */
export async function launchCanvas(deps: ApiDeps, workspaceId: string, canvasId: string): Promise<CanvasRecord> {
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
  const earlier = await resolvedByEarlierVersions(deps.db, canvasId);
  const resolved: ResolvedSteps = {};
  const checkedAccounts = new Map<string, string | null>();
  // each Meta account's audiences, read once and kept up to date as this launch creates some
  const audiences = new Map<string, AccountAudiences>();
  const prefix = (await findWorkspace(deps.db, workspaceId))?.audienceNamePrefix ?? '';

  for (const [index, step] of definition.steps.entries()) {
    if (step.kind !== 'facebook_audience') continue;
    const path = `/steps/${index}`;
    const account = step.adAccountId
      ? await findAdAccountByMetaId(deps.db, workspaceId, step.adAccountId.replace(/^act_/, ''))
      : await findDefaultAdAccount(deps.db, workspaceId);
    if (!account) {
      problems.push(
        step.adAccountId
          ? {
              code: 'ad_account_not_connected',
              path: `${path}/adAccountId`,
              message: `${step.adAccountId} is not connected to this workspace`,
            }
          : {
              code: 'no_default_ad_account',
              path: `${path}/adAccountId`,
              message: 'connect an ad account or name one in the step',
            },
      );
      continue;
    }
    const token = deps.cipher.decrypt(account.tokenCiphertext);
    if (!checkedAccounts.has(account.id))
      checkedAccounts.set(account.id, await accountProblem(deps, account.id, account.metaAccountId, token));
    const accountIssue = checkedAccounts.get(account.id);
    if (accountIssue) {
      problems.push({
        code: accountIssue,
        path: `${path}/adAccountId`,
        message:
          accountIssue === 'tos_not_accepted'
            ? 'accept the Custom Audience terms for this account'
            : 'reconnect this ad account with a valid token',
      });
      continue;
    }
    const audience = await resolveAudience(
      deps,
      step,
      earlier[step.id],
      { adAccountId: account.id, metaAccountId: account.metaAccountId, token },
      { audiences, prefix },
    );
    if ('problem' in audience)
      problems.push({
        code: audience.problem,
        path: `${path}/audience${audience.at ?? ''}`,
        message: audience.message,
      });
    else resolved[step.id] = audience;
  }

  // audiences already created stay recorded, so a retry after fixing a problem reuses them
  await saveResolved(deps.db, canvasId, version.version, resolved);
  if (problems.length > 0) {
    throw apiError('LAUNCH_PREFLIGHT_FAILED', `${problems.length} problem(s) found before launch`, problems);
  }
  return deps.db.transaction().execute(async (tx) => {
    const locked = await lockCanvas(tx, workspaceId, canvasId);
    if (!locked || locked.latestVersion !== version.version || locked.status === 'archived') {
      throw conflict('CANVAS_CHANGED', 'the canvas changed during launch; try again');
    }
    return markLaunched(tx, canvasId, version.version, deps.now());
  });
}

async function accountProblem(
  deps: ApiDeps,
  accountId: string,
  metaAccountId: string,
  token: string,
): Promise<string | null> {
  try {
    const { data } = await deps.directory.getAdAccount(token, metaAccountId);
    if (!data.customAudienceTosAccepted) {
      await setAdAccountStatus(
        deps.db,
        accountId,
        'tos_not_accepted',
        'Custom Audience terms not accepted',
        deps.now(),
      );
      return 'tos_not_accepted';
    }
    await setAdAccountStatus(deps.db, accountId, 'connected', null, deps.now());
    return null;
  } catch (error) {
    if (isGraphApiError(error) && ['token_invalid', 'permission', 'audience_missing'].includes(error.classification)) {
      await setAdAccountStatus(deps.db, accountId, 'disconnected', error.message, deps.now());
      return 'ad_account_disconnected';
    }
    throw error;
  }
}

async function resolveAudience(
  deps: ApiDeps,
  step: FacebookAudienceStep,
  previous: ResolvedSteps[string] | undefined,
  account: { adAccountId: string; metaAccountId: string; token: string },
  launch: { audiences: Map<string, AccountAudiences>; prefix: string },
): Promise<ResolvedSteps[string] | { problem: string; message: string; at?: string }> {
  const { adAccountId, metaAccountId, token } = account;
  if ('id' in step.audience) {
    try {
      await deps.directory.getCustomAudience(token, step.audience.id, metaAccountId);
      return { adAccountId, metaAccountId, audienceId: step.audience.id, created: false };
    } catch (error) {
      if (
        isGraphApiError(error) &&
        (error.classification === 'audience_missing' || error.classification === 'permission')
      ) {
        return {
          problem: 'audience_not_found',
          message: `audience ${step.audience.id} does not exist or this account cannot use it`,
        };
      }
      throw error;
    }
  }
  const name = `${launch.prefix}${step.audience.create.name}`;
  const { description } = step.audience.create;
  if (previous?.created && previous.adAccountId === adAccountId && previous.audienceName === name) return previous;
  const known = launch.audiences.get(metaAccountId) ?? (await accountAudiences(deps.directory, token, metaAccountId));
  launch.audiences.set(metaAccountId, known);
  // names stay unique per account; Meta refuses the 501st customer-file audience: both said before asking
  if (known.names.has(name)) return audienceNameProblem(metaAccountId, name);
  if (known.customerFile >= customerFileAudienceLimit) return audienceLimitProblem(metaAccountId, known.customerFile);
  try {
    const { data } = await deps.directory.createCustomAudience(token, metaAccountId, { name, description });
    known.customerFile += 1;
    known.names.add(name);
    return { adAccountId, metaAccountId, audienceId: data.id, created: true, audienceName: name };
  } catch (error) {
    // another tool took the last place meanwhile
    if (isGraphApiError(error) && error.details.metaCode === audienceLimitCode)
      return audienceLimitProblem(metaAccountId, customerFileAudienceLimit);
    throw error;
  }
}
