import type { CanvasDefinition, FacebookAudienceStep } from '@canvas/canvas';
import {
  findAdAccountByMetaId,
  findDefaultAdAccount,
  findWorkspace,
  resolvedByEarlierVersions,
  setAdAccountStatus,
  type ResolvedSteps,
  adAccountTokenRow,
} from '@canvas/db';
import { isGraphApiError, bareAdAccountId } from '@canvas/meta-graph';
import {
  accountAudiences,
  audienceLimitProblem,
  audienceNameProblem,
  customerFileAudienceLimit,
  type AccountAudiences,
} from './audience-limit.js';
import { adSetProblems } from './ad-set-preflight.js';
import type { ApiDeps } from './deps.js';
import type { FieldProblem } from './problem.js';

/** Meta's error code for an ad account at its customer-file audience limit. */
const audienceLimitCode = 2654;

export interface StepAccount {
  adAccountId: string;
  metaAccountId: string;
  token: string;
}

export interface Resolution {
  resolved: ResolvedSteps;
  problems: FieldProblem[];
  /** The account each resolved step syncs through, with its token, for what launch does next. */
  accounts: Map<string, StepAccount>;
}

type Outcome = ResolvedSteps[string] | { problem: string; message: string; at?: string };

/**
 * Gives every Facebook step of a version its ad account and Meta audience: each account is
 * checked with Meta, audiences to be created are created once (an edit of the same step keeps
 * its audience), named ones must be readable, and a step using another step's audience gets it.
 */
export async function resolveFacebookSteps(
  deps: ApiDeps,
  workspaceId: string,
  canvasId: string,
  definition: CanvasDefinition,
): Promise<Resolution> {
  const earlier = await resolvedByEarlierVersions(deps.db, canvasId);
  const resolution: Resolution = { resolved: {}, problems: [], accounts: new Map() };
  const checkedAccounts = new Map<string, string | null>();
  // each Meta account's audiences, read once and kept up to date as this call creates some
  const audiences = new Map<string, AccountAudiences>();
  const prefix = (await findWorkspace(deps.db, workspaceId))?.audienceNamePrefix ?? '';
  const steps = definition.steps.flatMap((step, index) =>
    step.kind === 'facebook_audience' ? [{ step, index, path: `/steps/${index}` }] : [],
  );
  // steps that take another step's audience come last, once that audience is known
  const ordered = [
    ...steps.filter(({ step }) => !('fromStep' in step.audience)),
    ...steps.filter(({ step }) => 'fromStep' in step.audience),
  ];

  for (const { step, index, path } of ordered) {
    const account = await stepAccount(deps, workspaceId, step, path, resolution.problems);
    if (!account) continue;
    if (!checkedAccounts.has(account.adAccountId))
      checkedAccounts.set(account.adAccountId, await accountProblem(deps, account));
    const accountIssue = checkedAccounts.get(account.adAccountId);
    if (accountIssue) {
      resolution.problems.push({
        code: accountIssue,
        path: `${path}/adAccountId`,
        message:
          accountIssue === 'tos_not_accepted'
            ? 'accept the Custom Audience terms for this account'
            : 'reconnect this ad account with a valid token',
      });
      continue;
    }
    const adSetIssues = await adSetProblems(deps, step, index, account);
    if (adSetIssues.length > 0) {
      resolution.problems.push(...adSetIssues);
      continue;
    }
    const outcome =
      'fromStep' in step.audience
        ? fromStep(resolution.resolved, step.audience.fromStep)
        : await resolveAudience(deps, step, earlier[step.id], account, { audiences, prefix });
    if (outcome === undefined) continue; // the step it takes the audience from has its own problem
    if ('problem' in outcome)
      resolution.problems.push({
        code: outcome.problem,
        path: `${path}/audience${outcome.at ?? ''}`,
        message: outcome.message,
      });
    else {
      resolution.resolved[step.id] = outcome;
      resolution.accounts.set(step.id, account);
    }
  }
  return resolution;
}

async function stepAccount(
  deps: ApiDeps,
  workspaceId: string,
  step: FacebookAudienceStep,
  path: string,
  problems: FieldProblem[],
): Promise<StepAccount | undefined> {
  const account = step.adAccountId
    ? await findAdAccountByMetaId(deps.db, workspaceId, bareAdAccountId(step.adAccountId))
    : await findDefaultAdAccount(deps.db, workspaceId);
  if (account)
    return {
      adAccountId: account.id,
      metaAccountId: account.metaAccountId,
      token: deps.cipher.decrypt(account.tokenCiphertext, adAccountTokenRow(account)),
    };
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
  return undefined;
}

/** The audience of the step named: the same audience, which this step did not create. */
function fromStep(resolved: ResolvedSteps, stepId: string): ResolvedSteps[string] | undefined {
  const source = resolved[stepId];
  if (!source) return undefined;
  return {
    adAccountId: source.adAccountId,
    metaAccountId: source.metaAccountId,
    audienceId: source.audienceId,
    created: false,
    fromStep: stepId,
    ...(source.audienceName ? { audienceName: source.audienceName } : {}),
    // a value-based audience needs every row's value, whichever step sends it
    ...(source.valueTrait ? { valueTrait: source.valueTrait } : {}),
  };
}

async function accountProblem(deps: ApiDeps, account: StepAccount): Promise<string | null> {
  try {
    const { data } = await deps.directory.getAdAccount(account.token, account.metaAccountId);
    if (!data.customAudienceTosAccepted) {
      await setAdAccountStatus(
        deps.db,
        account.adAccountId,
        'tos_not_accepted',
        'Custom Audience terms not accepted',
        deps.now(),
      );
      return 'tos_not_accepted';
    }
    await setAdAccountStatus(deps.db, account.adAccountId, 'connected', null, deps.now());
    return null;
  } catch (error) {
    if (isGraphApiError(error) && ['token_invalid', 'permission', 'audience_missing'].includes(error.classification)) {
      await setAdAccountStatus(deps.db, account.adAccountId, 'disconnected', error.message, deps.now());
      return 'ad_account_disconnected';
    }
    throw error;
  }
}

/**
 * A step and its audience disagree on being value-based: Meta refuses rows without LOOKALIKE_VALUE on a
 * value-based audience and the two kinds cannot stand in for each other (decision 35).
 */
function valueBasedMismatch(
  audienceId: string,
  isValueBased: boolean | undefined,
  valueTrait: string | undefined,
): { problem: string; message: string; at: string } | undefined {
  if (isValueBased === undefined || isValueBased === (valueTrait !== undefined)) return undefined;
  return isValueBased
    ? {
        problem: 'audience_value_mismatch',
        at: '/valueTrait',
        message:
          `audience ${audienceId} is value-based: Meta needs each user's LOOKALIKE_VALUE, ` +
          'so name the trait it comes from in valueTrait',
      }
    : {
        problem: 'audience_value_mismatch',
        at: '/valueTrait',
        message:
          `audience ${audienceId} is not value-based and cannot become so: ` +
          'leave out valueTrait, or let the step create a new value-based audience',
      };
}

async function resolveAudience(
  deps: ApiDeps,
  step: FacebookAudienceStep,
  previous: ResolvedSteps[string] | undefined,
  account: StepAccount,
  launch: { audiences: Map<string, AccountAudiences>; prefix: string },
): Promise<Outcome> {
  const { adAccountId, metaAccountId, token } = account;
  if ('id' in step.audience) {
    const { valueTrait } = step.audience;
    try {
      const { data } = await deps.directory.getCustomAudience(token, step.audience.id, metaAccountId);
      const mismatch = valueBasedMismatch(step.audience.id, data.isValueBased, valueTrait);
      if (mismatch) return mismatch;
      return {
        adAccountId,
        metaAccountId,
        audienceId: step.audience.id,
        created: false,
        ...(valueTrait ? { valueTrait } : {}),
      };
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
  if (!('create' in step.audience)) return { problem: 'audience_not_found', message: 'no audience to resolve' };
  const name = `${launch.prefix}${step.audience.create.name}`;
  const { description, valueTrait } = step.audience.create;
  if (previous?.created && previous.adAccountId === adAccountId && previous.audienceName === name) {
    // Meta cannot make an audience value-based, or undo it, once created
    const mismatch = valueBasedMismatch(previous.audienceId, previous.valueTrait !== undefined, valueTrait);
    if (mismatch) return { ...mismatch, at: '/create/valueTrait' };
    const { valueTrait: _previousTrait, ...kept } = previous;
    return { ...kept, ...(valueTrait ? { valueTrait } : {}) };
  }
  const known = launch.audiences.get(metaAccountId) ?? (await accountAudiences(deps.directory, token, metaAccountId));
  launch.audiences.set(metaAccountId, known);
  // names stay unique per account; Meta refuses the 501st customer-file audience: both said before asking
  if (known.names.has(name)) return audienceNameProblem(metaAccountId, name);
  if (known.customerFile >= customerFileAudienceLimit) return audienceLimitProblem(metaAccountId, known.customerFile);
  try {
    const { data } = await deps.directory.createCustomAudience(token, metaAccountId, {
      name,
      description,
      isValueBased: valueTrait !== undefined,
    });
    known.customerFile += 1;
    known.names.add(name);
    return {
      adAccountId,
      metaAccountId,
      audienceId: data.id,
      created: true,
      audienceName: name,
      ...(valueTrait ? { valueTrait } : {}),
    };
  } catch (error) {
    // another tool took the last place meanwhile
    if (isGraphApiError(error) && error.details.metaCode === audienceLimitCode)
      return audienceLimitProblem(metaAccountId, customerFileAudienceLimit);
    throw error;
  }
}
