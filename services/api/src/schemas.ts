import { z } from 'zod';

export const Uuid = z.uuid();
/** A canvas version: a positive integer that fits PostgreSQL's integer. */
export const VersionNumber = z.coerce.number().int().min(1).max(2_147_483_647);
export const IsoDate = z.string().describe('ISO 8601 date-time');

export const FieldProblem = z.object({ code: z.string(), path: z.string(), message: z.string() });
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable code'),
    detail: z.string().optional(),
    errors: z.array(FieldProblem).optional(),
  })
  .describe('application/problem+json (RFC 9457)');

/** The error answers a route may give, for its OpenAPI description. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries([400, 401, ...statuses].map((s) => [s, Problem]));
}

export const IdParams = z.object({ id: Uuid }).strict();
export const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** Paging through a list Meta holds: its page size and cursor, passed on as they are. */
export const MetaPageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    after: z.string().max(500).optional(),
  })
  .strict();
export const MetaNextCursor = z.string().nullable().describe('Pass as "after" for the next page');
/** The query as the Graph client's page argument. */
export const metaPage = (query: { limit: number; after?: string | undefined }) => ({
  limit: query.limit,
  ...(query.after ? { after: query.after } : {}),
});
