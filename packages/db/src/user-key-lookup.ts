import { sql } from 'kysely';
import type { UserRef } from './user-ref.js';

/**
 * User keys as the relation `k(w, u)`, sorted in the database's own order, to drive a LATERAL
 * subquery that reads each key's rows by primary key: `(SELECT … WHERE workspace_id = k.w AND
 * user_id = k.u OFFSET 0)`. OFFSET 0 keeps the planner from flattening it into a join it may run
 * as a whole-table scan (a table grown since its last ANALYZE looks small), and rows it locks
 * are locked in the order every other locker of these rows uses.
 */
export const orderedKeys = (users: readonly UserRef[]) =>
  sql`(SELECT * FROM unnest(${users.map((x) => x.workspaceId)}::uuid[], ${users.map((x) => x.userId)}::text[])
    AS k(w, u) ORDER BY w, u) k`;
