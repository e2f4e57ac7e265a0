import type { CanvasDefinition } from '@canvas/canvas';
import {
  audienceHealthAmong,
  listAdAccounts,
  missingAmong,
  type AdAccount,
  type Db,
  type ResolvedSteps,
} from '@canvas/db';
import { tokenWarning, tosUrl } from './ad-account.service.js';
import { bareAdAccountId } from '@canvas/meta-graph';
import { audienceHealthProblem, type AudienceHealthCode } from './audience-health-problems.js';

export interface AccountProblem {
  code:
    | 'ad_account_disconnected'
    | 'tos_not_accepted'
    | 'token_expires_soon'
    | 'audience_deleted'
    | 'ad_account_missing'
    | AudienceHealthCode;
  adAccountId: string;
  /** The Facebook steps it stops (or will stop). */
  steps: string[];
  audienceId: string | null;
  message: string;
  hint: string;
}

const reconnectHint = (a: AdAccount) =>
  `reconnect: PUT /v1/ad-accounts/${a.id}/token with a new token, ` +
  'or sign in again with Facebook Login (POST /v1/facebook-login); waiting users are sent once it is back';

/**
 * Current problems of the ad accounts and audiences a canvas's Facebook steps use, read from what
 * the sync and the token checks last found (no call to Meta): Braze shows these on the canvas.
 */
export async function canvasAccountProblems(
  db: Db,
  workspaceId: string,
  definition: CanvasDefinition,
  resolvedVersions: ResolvedSteps[],
  now: Date,
): Promise<AccountProblem[]> {
  const facebookSteps = definition.steps.filter((s) => s.kind === 'facebook_audience');
  if (facebookSteps.length === 0 && resolvedVersions.every((r) => Object.keys(r).length === 0)) return [];
  const accounts = await listAdAccounts(db, workspaceId);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const byMetaId = new Map(accounts.map((a) => [a.metaAccountId, a]));
  const defaultAccount = accounts.find((a) => a.isDefault);

  const stepsOf = new Map<string, Set<string>>(); // our account id → step ids
  const audiences = new Map<string, { steps: Set<string>; accountId: string }>();
  const use = (accountId: string, stepId: string) =>
    (stepsOf.get(accountId) ?? stepsOf.set(accountId, new Set()).get(accountId))!.add(stepId);
  const problems: AccountProblem[] = [];
  for (const resolved of resolvedVersions)
    for (const [stepId, target] of Object.entries(resolved)) {
      use(target.adAccountId, stepId);
      const entry = audiences.get(target.audienceId) ?? { steps: new Set<string>(), accountId: target.adAccountId };
      entry.steps.add(stepId);
      audiences.set(target.audienceId, entry);
    }
  for (const step of facebookSteps) {
    if (step.kind !== 'facebook_audience') continue;
    const account = step.adAccountId ? byMetaId.get(bareAdAccountId(step.adAccountId)) : defaultAccount;
    if (account) use(account.id, step.id);
    else if (step.adAccountId)
      problems.push({
        code: 'ad_account_missing',
        adAccountId: step.adAccountId,
        steps: [step.id],
        audienceId: null,
        message: `${step.adAccountId} is not connected to this workspace`,
        hint: 'connect it: POST /v1/ad-accounts, or Facebook Login (POST /v1/facebook-login)',
      });
  }

  for (const [accountId, steps] of stepsOf) {
    const account = byId.get(accountId);
    if (!account) continue;
    const base = { adAccountId: `act_${account.metaAccountId}`, steps: [...steps].sort(), audienceId: null };
    if (account.status === 'disconnected')
      problems.push({
        ...base,
        code: 'ad_account_disconnected',
        message:
          "Meta no longer accepts this account's token" + (account.statusReason ? ` (${account.statusReason})` : ''),
        hint: reconnectHint(account),
      });
    else if (account.status === 'tos_not_accepted')
      problems.push({
        ...base,
        code: 'tos_not_accepted',
        message: 'the Custom Audience terms are not accepted for this account',
        hint: `accept them at ${tosUrl(account.metaAccountId)}`,
      });
    else if (tokenWarning(account.tokenExpiresAt, now) === 'expires_soon')
      problems.push({
        ...base,
        code: 'token_expires_soon',
        message: `the token expires at ${account.tokenExpiresAt?.toISOString()}`,
        hint: reconnectHint(account),
      });
  }
  for (const missing of await missingAmong(db, [...audiences.keys()])) {
    const entry = audiences.get(missing.audienceId);
    const account = entry && byId.get(entry.accountId);
    problems.push({
      code: 'audience_deleted',
      adAccountId: `act_${account?.metaAccountId ?? missing.metaAccountId}`,
      steps: [...(entry?.steps ?? [])].sort(),
      audienceId: missing.audienceId,
      message: `Meta says audience ${missing.audienceId} no longer exists (${missing.message})`,
      hint: 'edit the steps to create a new audience or name an existing one, then launch the new version',
    });
  }
  for (const health of await audienceHealthAmong(db, [...audiences.keys()])) {
    const entry = audiences.get(health.audienceId);
    const account = entry && byId.get(entry.accountId);
    const steps = [...(entry?.steps ?? [])].sort();
    problems.push(audienceHealthProblem(health, `act_${account?.metaAccountId ?? health.metaAccountId}`, steps));
  }
  return problems;
}
