import { z } from 'zod';
import { driftKinds, type CanvasDefinition } from '@canvas/canvas';
import { driftOfCanvas, reconciliationChecks, type Db, type ResolvedSteps } from '@canvas/db';
import { IsoDate } from './schemas.js';

export const StepDriftView = z.object({
  stepId: z.string(),
  status: z
    .enum(['in_balance', 'drift', 'not_checked'])
    .describe("in_balance: the watch's last check found the step's numbers add up; not_checked: no check yet"),
  checkedAt: IsoDate.nullable().describe("When the watch last checked the step's Meta ad account"),
  gaps: z.array(
    z.object({
      kind: z
        .enum(driftKinds)
        .describe(
          'counters: entered = synced + notSynced + pending + errored; removals: removed = its four statuses; ' +
            "audience_size: Meta's approximate count against synced minus removed, allowing for Meta's matching",
        ),
      gap: z.number().int().describe('Users out of balance'),
      expected: z.number().int(),
      actual: z.number().int(),
      since: IsoDate.describe('When the watch first found it, unbroken since'),
      detail: z
        .record(z.string(), z.unknown())
        .describe('Per version for counters; the bounds Meta gave for audience_size'),
    }),
  ),
});
export type StepDriftView = z.infer<typeof StepDriftView>;

/**
 * What the reconciliation watch last found for each Facebook step of a definition, from stored
 * state (the API never calls Meta for it). A step's account is the one its newest resolved
 * version sends to.
 */
export async function stepDriftViews(
  db: Db,
  canvasId: string,
  definition: CanvasDefinition,
  resolved: readonly ResolvedSteps[],
): Promise<StepDriftView[]> {
  const steps = definition.steps.filter((s) => s.kind === 'facebook_audience');
  if (steps.length === 0) return [];
  const accountOf = (stepId: string) => resolved.map((r) => r[stepId]?.metaAccountId).find((a) => a !== undefined);
  const [drifts, checked] = await Promise.all([
    driftOfCanvas(db, canvasId),
    reconciliationChecks(
      db,
      steps.flatMap((s) => accountOf(s.id) ?? []),
    ),
  ]);
  return steps.map((step) => {
    const account = accountOf(step.id);
    const checkedAt = account === undefined ? undefined : checked.get(account);
    const gaps = drifts
      .filter((d) => d.stepId === step.id)
      .map((d) => ({
        kind: d.kind,
        gap: d.gap,
        expected: d.expected,
        actual: d.actual,
        since: d.since.toISOString(),
        detail: d.detail,
      }));
    return {
      stepId: step.id,
      status: gaps.length > 0 ? 'drift' : checkedAt ? 'in_balance' : 'not_checked',
      checkedAt: checkedAt?.toISOString() ?? null,
      gaps,
    };
  });
}
