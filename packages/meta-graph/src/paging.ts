import type { UseCaseType } from './usage-headers.js';
import type { GraphCall, GraphResult } from './transport.js';

/** Where a list read starts: Meta's `after` cursor and a page size. */
export interface PageRequest {
  limit?: number;
  after?: string;
}

/** One page of raw rows and the cursor of the next, absent on the last page. */
export interface RawPage<Row> {
  rows: Row[];
  after?: string;
}

interface Listing<Row> {
  data?: Row[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** Reads one page of an edge; Meta sends a cursor on the last page too, only `next` says there is more. */
export async function readPage<Row = Record<string, unknown>>(
  call: GraphCall,
  path: string,
  token: string,
  request: { fields: string; page?: PageRequest; usageAccountId?: string | undefined; usageType?: UseCaseType },
): Promise<GraphResult<RawPage<Row>>> {
  const query: Record<string, string> = { fields: request.fields, limit: String(request.page?.limit ?? 100) };
  if (request.page?.after) query.after = request.page.after;
  const result = await call<Listing<Row>>('GET', path, token, {
    query,
    usageAccountId: request.usageAccountId,
    usageType: request.usageType,
  });
  const after = result.data.paging?.next ? result.data.paging.cursors?.after : undefined;
  return { usage: result.usage, data: { rows: result.data.data ?? [], ...(after ? { after } : {}) } };
}

/** Every row of an edge, page after page. */
export async function readAllPages<Row = Record<string, unknown>>(
  call: GraphCall,
  path: string,
  token: string,
  request: { fields: string; limit?: number },
): Promise<Row[]> {
  const rows: Row[] = [];
  let after: string | undefined;
  do {
    const page: PageRequest = { limit: request.limit ?? 100, ...(after ? { after } : {}) };
    const { data } = await readPage<Row>(call, path, token, { fields: request.fields, page });
    rows.push(...data.rows);
    after = data.after;
  } while (after !== undefined);
  return rows;
}
