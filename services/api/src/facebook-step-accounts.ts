import type { CanvasDefinition } from '@canvas/canvas';
import { listAdAccounts, type AdAccount, type Db, type ResolvedSteps } from '@canvas/db';
import { bareAdAccountId } from '@canvas/meta-graph';

/**
 * The Meta ad account each Facebook step of a version uses: the one launch resolved it to, else
 * the account the step names, else the workspace's default, as launch would pick. A step whose
 * account is not connected maps to undefined.
 */
export async function facebookStepAccounts(
  db: Db,
  workspaceId: string,
  definition: CanvasDefinition,
  resolved: ResolvedSteps = {},
): Promise<Map<string, AdAccount | undefined>> {
  const steps = definition.steps.filter((s) => s.kind === 'facebook_audience');
  if (steps.length === 0) return new Map();
  const accounts = await listAdAccounts(db, workspaceId);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const byMetaId = new Map(accounts.map((a) => [a.metaAccountId, a]));
  const fallback = accounts.find((a) => a.isDefault);
  return new Map(
    steps.map((step) => {
      const target = resolved[step.id];
      const named = step.kind === 'facebook_audience' ? step.adAccountId : undefined;
      const account = target
        ? (byId.get(target.adAccountId) ?? byMetaId.get(target.metaAccountId))
        : named
          ? byMetaId.get(bareAdAccountId(named))
          : fallback;
      return [step.id, account];
    }),
  );
}
