import { z } from 'zod';
import { lookalikeSpec, type CanvasDefinition } from '@canvas/canvas';
import { lookalikesOf, lookalikeStatuses, type Db, type LookalikeRecord, type ResolvedSteps } from '@canvas/db';
import { IsoDate, iso } from './schemas.js';

const MetaCode = z.object({ code: z.number().int(), description: z.string().nullable() });

export const LookalikeView = z
  .object({
    stepId: z.string(),
    adAccountId: z.string().nullable(),
    sourceAudienceId: z.string().nullable().describe('The step’s audience; null until launch resolves it'),
    countries: z.array(z.string()),
    ratio: z.number(),
    status: z
      .enum(['not_launched', ...lookalikeStatuses])
      .describe(
        'not_launched: no launched version asks for it yet; waiting_for_source: the source audience is below ' +
          "Meta's minimum (sourceSize); creating: the sync is asking Meta now; created: Meta has it (see meta); " +
          'refused: Meta refused it (message); the sync tries again',
      ),
    name: z.string().nullable().describe('Its name in Ads Manager'),
    lookalikeId: z.string().nullable(),
    sourceSize: z.number().int().nullable().describe("Meta's approximate_count_lower_bound of the source, last read"),
    meta: z
      .object({
        deliveryStatus: MetaCode.nullable(),
        operationStatus: MetaCode.nullable(),
        approximateCount: z.number().int().nullable().describe('-1 while Meta is still populating it'),
      })
      .nullable()
      .describe('What Meta last said of the created lookalike'),
    message: z.string().nullable(),
    createdAt: IsoDate.nullable().describe('When Meta created it'),
    checkedAt: IsoDate.nullable(),
  })
  .describe('A lookalike a Facebook step asks for (decision 36); one per source audience, countries and size');
export type LookalikeView = z.infer<typeof LookalikeView>;

const code = (status: { code: number; description?: string } | undefined) =>
  status ? { code: status.code, description: status.description ?? null } : null;

/** The lookalikes a version's steps ask for, with what the sync has done about each. */
export async function lookalikeViews(
  db: Db,
  definition: CanvasDefinition,
  resolvedVersions: readonly ResolvedSteps[],
): Promise<LookalikeView[]> {
  const asked = definition.steps.flatMap((step) => {
    if (step.kind !== 'facebook_audience' || !step.lookalike) return [];
    const spec = lookalikeSpec(step.lookalike);
    const target = resolvedVersions.map((r) => r[step.id]).find((t) => t !== undefined);
    return spec ? [{ stepId: step.id, spec, ratio: step.lookalike.ratio, target }] : [];
  });
  const records = await lookalikesOf(
    db,
    asked.flatMap(({ target }) =>
      target ? [{ metaAccountId: target.metaAccountId, sourceAudienceId: target.audienceId }] : [],
    ),
  );
  const find = (a: (typeof asked)[number]): LookalikeRecord | undefined =>
    records.find(
      (r) =>
        r.metaAccountId === a.target?.metaAccountId &&
        r.sourceAudienceId === a.target.audienceId &&
        r.ratioPercent === a.spec.ratioPercent &&
        r.countries.join() === a.spec.countries.join(),
    );
  return asked.map((a) => {
    const record = find(a);
    return {
      stepId: a.stepId,
      adAccountId: a.target ? `act_${a.target.metaAccountId}` : null,
      sourceAudienceId: a.target?.audienceId ?? null,
      countries: a.spec.countries,
      ratio: a.ratio,
      status: record?.status ?? 'not_launched',
      name: record?.name ?? null,
      lookalikeId: record?.lookalikeId ?? null,
      sourceSize: record?.sourceSize ?? null,
      meta: record?.metaStatus
        ? {
            deliveryStatus: code(record.metaStatus.deliveryStatus),
            operationStatus: code(record.metaStatus.operationStatus),
            approximateCount: record.metaStatus.approximateCount ?? null,
          }
        : null,
      message: record?.message ?? null,
      createdAt: iso(record?.lookalikeCreatedAt),
      checkedAt: record && record.updatedAt > record.requestedAt ? iso(record.updatedAt) : null,
    };
  });
}
