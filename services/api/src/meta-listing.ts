import { z } from 'zod';
import { adAccountTokenRow, findAdAccount } from '@canvas/db';
import type { ApiDeps } from './deps.js';
import { notFound } from './problem.js';
import { IdParams, MetaNextCursor, MetaPageQuery, metaPage, problems } from './schemas.js';

/** Params, query and responses of a list Meta holds for one connected ad account, read a page at a time. */
export const metaListingSchema = <Item extends z.ZodType>(item: Item) => ({
  params: IdParams,
  querystring: MetaPageQuery,
  response: {
    200: z.object({ data: z.array(item), next: MetaNextCursor }),
    ...problems(404, 502, 503),
  },
});

/** The workspace's ad account (404 if it has none by that id), its token decrypted, and the page asked for. */
export async function openMetaListing(
  deps: Pick<ApiDeps, 'db' | 'cipher'>,
  workspaceId: string,
  adAccountId: string,
  query: z.infer<typeof MetaPageQuery>,
) {
  const account = await findAdAccount(deps.db, workspaceId, adAccountId);
  if (!account) throw notFound(`ad account ${adAccountId}`);
  const token = deps.cipher.decrypt(account.tokenCiphertext, adAccountTokenRow(account));
  return { token, metaAccountId: account.metaAccountId, page: metaPage(query) };
}
