import { sql, type RawBuilder } from 'kysely';
import type { UserRef } from './user-ref.js';

/**
 * The rows of `table` for one user key `k(w, u)`, as a LATERAL subquery: one primary-key probe
 * per key whatever the table's statistics say. OFFSET 0 keeps the planner from flattening it into
 * a join it might run as a scan of the whole table (a table that grew since it was last analysed
 * looks small). `lock` (FOR UPDATE …) locks each row as it is probed.
 */
export const byUserKey = (table: RawBuilder<unknown>, lock: RawBuilder<unknown> = sql``) =>
  sql`SELECT * FROM ${table} WHERE workspace_id = k.w AND user_id = k.u ${lock} OFFSET 0`;

/**
 * User keys as a relation `k(w, u)` sorted by the database's own order: rows locked through
 * `byUserKey` are then locked in the order every other locker of these rows uses.
 */
export const orderedKeys = (users: readonly UserRef[]) =>
  sql`(SELECT * FROM unnest(${users.map((x) => x.workspaceId)}::uuid[], ${users.map((x) => x.userId)}::text[])
    AS k(w, u) ORDER BY w, u) k`;
