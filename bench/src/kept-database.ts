import { sql } from 'kysely';
import { createDatabase, ensureDatabase, migrate, type Db } from '@canvas/db';
import type { TestDatabase } from '../../test/support/index.ts';

/** A seeded bench database kept between runs: seeding a million users takes minutes. */
export interface KeptDatabase extends TestDatabase {
  /** The seeded workspace, or undefined when the database is new and must be seeded. */
  workspaceId: string | undefined;
  /** Remembers that the database holds this seeded workspace. */
  markSeeded: (workspaceId: string) => Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

/**
 * The database `name` on the server, created and migrated if needed (never dropped by the bench),
 * with the workspace an earlier run seeded for `users` users, if any.
 */
export async function keptDatabase(serverUrl: string, name: string, users: number): Promise<KeptDatabase> {
  const url = withDatabase(serverUrl, name);
  await ensureDatabase(url);
  await migrate(url);
  const db: Db = createDatabase({ url, maxConnections: 10, applicationName: 'canvas-bench' });
  await sql`CREATE TABLE IF NOT EXISTS bench_seeds (users int PRIMARY KEY, workspace_id uuid NOT NULL)`.execute(db);
  const seeded = await sql<{ workspace_id: string }>`
    SELECT workspace_id FROM bench_seeds WHERE users = ${users}`.execute(db);
  return {
    url,
    db,
    workspaceId: seeded.rows[0]?.workspace_id,
    markSeeded: async (workspaceId) => {
      await sql`INSERT INTO bench_seeds VALUES (${users}, ${workspaceId})`.execute(db);
    },
    drop: async () => db.destroy(),
  };
}

/** Removes what earlier runs wrote, so a run on a kept database starts as on a fresh one. */
export async function clearEarlierRuns(db: Db): Promise<void> {
  await sql`UPDATE canvases SET status = 'archived' WHERE status = 'running'`.execute(db);
  await sql`TRUNCATE journeys, timers, audience_entries, segment_audience_members, step_counters,
    segment_run_candidates`.execute(db);
  // a run locks every profile (rewriting its tuple header); a live database would have been vacuumed since
  await sql`VACUUM (ANALYZE) user_profiles`.execute(db);
}
