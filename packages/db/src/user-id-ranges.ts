import { sql, type RawBuilder } from 'kysely';

/** Users whose ids lie in [from, to], inclusive. */
export interface UserIdRange {
  from: string;
  to: string;
}

/**
 * The rows of `table` meeting `condition` whose users lie in one of these disjoint id ranges, as
 * the FROM item `d`: a LATERAL subquery planned once and run per range, one index range scan
 * per range and partition (an OR of ranges is planned for every partition and costs more to
 * plan than to run).
 */
export const rowsInRanges = (
  table: RawBuilder<unknown>,
  condition: RawBuilder<unknown>,
  ranges: readonly UserIdRange[],
) =>
  sql`unnest(${ranges.map((r) => r.from)}::text[], ${ranges.map((r) => r.to)}::text[]) AS r(f, t)
    CROSS JOIN LATERAL (SELECT * FROM ${table} WHERE ${condition} AND user_id >= r.f AND user_id <= r.t OFFSET 0) AS d`;

/** The rows of `table` meeting `condition` of these users, as the FROM item `d`. */
export const rowsOfUsers = (table: RawBuilder<unknown>, condition: RawBuilder<unknown>, userIds: readonly string[]) =>
  sql`(SELECT * FROM ${table} WHERE ${condition} AND user_id = ANY(${[...userIds]}::text[])) AS d`;
