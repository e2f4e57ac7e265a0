import { sql } from 'kysely';
import type { Db } from '@canvas/db';

/** Tables the runner writes while applying events (the rows a write ceiling re-writes). */
const engineTables = [
  'processed_messages',
  'user_profiles',
  'user_events',
  'user_event_days',
  'journeys',
  'timers',
  'audience_entries',
  'step_counters',
  'canvas_entry_counts',
  'consumer_offsets',
] as const;

/**
 * PostgreSQL's write ceiling for what an engine run left behind: every row of the tables the
 * runner writes is copied into an empty twin (same columns, indexes and constraints) by one
 * `INSERT … SELECT` per table, committed in chunks of `chunk` rows. Returns events/s at that
 * rate — what the database could absorb if Kafka, Node and the per-event upserts cost nothing.
 */
export async function databaseWriteCeiling(pool: Db, events: number, chunk = 2000): Promise<number> {
  // one connection throughout: the staged rows live in a temporary table
  return pool.connection().execute(async (db) => {
    let seconds = 0;
    for (const table of engineTables) {
      const twin = `${table}_ceiling`;
      // a twin of a partitioned table is one plain table with the same indexes: the same index writes
      await sql.raw(`CREATE TABLE ${twin} (LIKE ${table} INCLUDING ALL)`).execute(db);
      await sql
        .raw(`CREATE TEMPORARY TABLE source_rows AS SELECT row_number() OVER () AS n, t.* FROM ${table} t`)
        .execute(db);
      await sql`CREATE INDEX ON source_rows (n)`.execute(db);
      const total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM source_rows`.execute(db)).rows[0]!.n);
      const columns = (
        await sql<{ name: string }>`
        SELECT column_name AS name FROM information_schema.columns
        WHERE table_name = ${table} AND table_schema = 'public' ORDER BY ordinal_position`.execute(db)
      ).rows.map((c) => `"${c.name}"`);
      const started = performance.now();
      for (let from = 0; from < total; from += chunk) {
        await sql
          .raw(
            `INSERT INTO ${twin} (${columns.join(', ')}) SELECT ${columns.join(', ')} ` +
              `FROM source_rows WHERE n > ${from} AND n <= ${from + chunk}`,
          )
          .execute(db);
      }
      seconds += (performance.now() - started) / 1000;
      await sql.raw(`DROP TABLE source_rows; DROP TABLE ${twin}`).execute(db);
    }
    return events / seconds;
  });
}
