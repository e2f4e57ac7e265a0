import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { metaListingSchema, openMetaListing } from '../meta-listing.js';

/** The ad sets of a connected account, to pick which a Facebook step links its audience to. */
export const adSetRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/ad-accounts/:id/ad-sets',
      {
        schema: {
          tags: ['ad accounts'],
          summary: "The account's ad sets, from Meta",
          description:
            "Name them in a Facebook step's adSetIds: at launch the step's audience is added to their " +
            'custom-audience targeting, the rest of it kept.',
          ...metaListingSchema(
            z.object({
              id: z.string(),
              name: z.string(),
              status: z.string().nullable(),
              customAudiences: z
                .array(z.object({ id: z.string(), name: z.string().nullable() }))
                .describe('Custom audiences its targeting includes now'),
            }),
          ),
        },
      },
      async (request) => {
        const listing = await openMetaListing(deps, request.caller.workspaceId, request.params.id, request.query);
        const { data } = await deps.directory.listAdSets(listing.token, listing.metaAccountId, listing.page);
        return {
          data: data.adSets.map((a) => ({
            id: a.id,
            name: a.name,
            status: a.status ?? null,
            customAudiences: (a.targeting.custom_audiences ?? []).map((c) => ({
              id: String(c.id),
              name: c.name ?? null,
            })),
          })),
          next: data.after ?? null,
        };
      },
    );
  };
