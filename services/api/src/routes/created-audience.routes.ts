import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adAccountTokenRow, audienceHealthAmong, createdAudiencesOfAccount, findAdAccount } from '@canvas/db';
import { isGraphApiError, type CustomAudience } from '@canvas/meta-graph';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../problem.js';
import { IdParams, IsoDate, problems } from '../schemas.js';

/** Enough for any account: Meta allows 500 customer-file audiences per ad account. */
const maxListed = 100;
/** Reads of Meta in flight at once for one request, so one page cannot burst the account's quota. */
const metaReadsAtOnce = 4;

const CreatedAudienceView = z.object({
  audienceId: z.string(),
  name: z.string().nullable(),
  canvasId: z.uuid(),
  canvasName: z.string(),
  steps: z.array(z.string()),
  size: z
    .object({ lowerBound: z.number().int(), upperBound: z.number().int() })
    .nullable()
    .describe("Meta's approximate_count bounds; null when Meta could not be read"),
  deliveryStatus: z.object({ code: z.number().int(), description: z.string().nullable() }).nullable(),
  operationStatus: z.object({ code: z.number().int(), description: z.string().nullable() }).nullable(),
  health: z
    .array(z.object({ problem: z.enum(['flagged', 'not_sac_eligible']), message: z.string(), detectedAt: IsoDate }))
    .describe('What Meta reported about the audience: flagged (471), not eligible for special-ad-category campaigns'),
  metaError: z.string().nullable().describe('Why Meta could not be read for this audience'),
});

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

/** The audiences this product created in an ad account, with their size and health as Meta reports them. */
export const createdAudienceRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/ad-accounts/:id/created-audiences',
      {
        schema: {
          tags: ['ad accounts'],
          summary: "Audiences the workspace's canvases created in this account, with Meta's size and health",
          description:
            `At most ${maxListed}, newest canvas first. Sizes are read from Meta at the time of the request ` +
            '(approximate bounds, as Meta reports them); a disconnected account shows none.',
          params: IdParams,
          response: { 200: z.object({ data: z.array(CreatedAudienceView) }), ...problems(404) },
        },
      },
      async (request) => {
        const account = await findAdAccount(deps.db, request.caller.workspaceId, request.params.id);
        if (!account) throw notFound(`ad account ${request.params.id}`);
        const created = await createdAudiencesOfAccount(deps.db, request.caller.workspaceId, account.id, maxListed);
        const health = await audienceHealthAmong(
          deps.db,
          created.map((a) => a.audienceId),
        );
        const token =
          account.status === 'connected'
            ? deps.cipher.decrypt(account.tokenCiphertext, adAccountTokenRow(account))
            : undefined;
        const fromMeta = await inBatches(created, metaReadsAtOnce, async (audience) => {
          if (!token) return { error: `the account is ${account.status.replace(/_/g, ' ')}` };
          try {
            const read = await deps.directory.getCustomAudience(token, audience.audienceId, account.metaAccountId);
            return { audience: read.data };
          } catch (error) {
            return { error: isGraphApiError(error) ? `${error.code}: ${error.message}` : 'Meta could not be read' };
          }
        });
        return {
          data: created.map((audience, i) => {
            const meta: CustomAudience | undefined = fromMeta[i]?.audience;
            const lower = meta?.approximateCountLowerBound;
            const upper = meta?.approximateCountUpperBound;
            return {
              audienceId: audience.audienceId,
              name: meta?.name ?? audience.audienceName,
              canvasId: audience.canvasId,
              canvasName: audience.canvasName,
              steps: audience.stepIds,
              size: lower !== undefined && upper !== undefined ? { lowerBound: lower, upperBound: upper } : null,
              deliveryStatus: meta?.deliveryStatus
                ? { code: meta.deliveryStatus.code, description: meta.deliveryStatus.description ?? null }
                : null,
              operationStatus: meta?.operationStatus
                ? { code: meta.operationStatus.code, description: meta.operationStatus.description ?? null }
                : null,
              health: health
                .filter((h) => h.audienceId === audience.audienceId)
                .map((h) => ({ problem: h.problem, message: h.message, detectedAt: h.detectedAt.toISOString() })),
              metaError: fromMeta[i]?.error ?? null,
            };
          }),
        };
      },
    );
  };
