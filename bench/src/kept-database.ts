import { sql } from 'kysely';
import { createDatabase, ensureDatabase, migrate, type Db } from '@canvas/db';
import type { TestDatabase } from '../../test/support/index.ts';

/** What a kept database was seeded with: its workspace, sizes and when its history ends. */
export interface KeptSeed {
  workspaceId: string;
  users: number;
  events: number;
  seededAt: Date;
}

export interface KeptDatabase extends TestDatabase {
  /** The seed recorded by an earlier run, when it matches what this run asks for. */
  seed: KeptSeed | undefined;
  /** Records a finished seed, so the next run reuses it. */
  remember: (seed: KeptSeed) => Promise<void>;
}

async function dropDatabase(url: string, name: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const db = createDatabase({ url: admin.toString(), maxConnections: 1, applicationName: 'canvas-bench' });
  try {
    await sql.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).execute(db);
  } finally {
    await db.destroy();
  }
}

/**
 * A database that outlives the run (BENCH_REUSE_DB=1): named after the template and the sizes,
 * migrated to the checkout's migrations, reused when an earlier run finished seeding it with the
 * same sizes, rebuilt otherwise. Never dropped by the bench (not a `<template>_<hex>` copy).
 */
export async function keptDatabase(
  templateUrl: string,
  section: string,
  users: number,
  events: number,
): Promise<KeptDatabase> {
  const templateName = new URL(templateUrl).pathname.slice(1);
  const name = `${templateName}_${section}_kept`;
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  const open = async () => {
    await ensureDatabase(url.toString());
    await migrate(url.toString());
    const db = createDatabase({ url: url.toString(), maxConnections: 10, applicationName: 'canvas-bench' });
    await sql`CREATE TABLE IF NOT EXISTS bench_seed (
      workspace_id uuid NOT NULL, users integer NOT NULL, events bigint NOT NULL,
      seeded_at timestamptz NOT NULL)`.execute(db);
    const { rows } = await sql<{ workspace_id: string; users: number; events: string; seeded_at: Date }>`
      SELECT workspace_id, users, events, seeded_at FROM bench_seed`.execute(db);
    return { db, row: rows[0] };
  };
  let { db, row } = await open();
  if (row && (row.users !== users || Number(row.events) !== events)) {
    await db.destroy();
    await dropDatabase(url.toString(), name);
    ({ db, row } = await open());
  } else if (!row) {
    // an interrupted seed leaves half a history: start from an empty database
    await db.destroy();
    await dropDatabase(url.toString(), name);
    ({ db, row } = await open());
  }
  return {
    url: url.toString(),
    db,
    seed: row ? { workspaceId: row.workspace_id, users, events, seededAt: row.seeded_at } : undefined,
    remember: async (seed) => {
      const seededAt = seed.seededAt.toISOString();
      await sql`INSERT INTO bench_seed (workspace_id, users, events, seeded_at)
        VALUES (${seed.workspaceId}::uuid, ${seed.users}, ${seed.events}, ${seededAt}::timestamptz)`.execute(db);
    },
    // kept for the next run: only the pool closes
    drop: () => db.destroy(),
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
