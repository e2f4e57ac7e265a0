import type { MatchKey } from './match-keys.js';
import type { PayloadColumn } from './limited-data-use.js';

/** Meta accepts at most this many users per `/users` request. */
export const maxUsersPerRequest = 10_000;

export interface UsersPayload {
  schema: PayloadColumn[];
  data: string[][];
}

/** Splits rows into `/users` payloads of at most `max` rows, all with the same multi-key schema. */
export function buildUsersPayloads(
  schema: readonly MatchKey[],
  rows: readonly (readonly string[])[],
  max = maxUsersPerRequest,
): UsersPayload[] {
  if (max < 1 || max > maxUsersPerRequest) throw new RangeError(`batch size must be 1..${maxUsersPerRequest}`);
  for (const row of rows) {
    if (row.length !== schema.length)
      throw new RangeError(`a row has ${row.length} values for a schema of ${schema.length} keys`);
  }
  const payloads: UsersPayload[] = [];
  for (let start = 0; start < rows.length; start += max) {
    payloads.push({ schema: [...schema], data: rows.slice(start, start + max).map((row) => [...row]) });
  }
  return payloads;
}
