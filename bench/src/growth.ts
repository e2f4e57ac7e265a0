import { sql } from 'kysely';
import type { Db } from '@canvas/db';

/** Fills the journey state with rows of other users: profiles and one journey each, spread over the canvases. */
export async function seedJourneyState(db: Db, workspaceId: string, rows: number): Promise<void> {
  const canvases = (await db.selectFrom('canvases').select('id').execute()).map((c) => c.id);
  for (let from = 0; from < rows; from += 1_000_000) {
    const to = Math.min(rows, from + 1_000_000) - 1;
    await sql`
      INSERT INTO user_profiles (workspace_id, user_id, traits, context, first_seen_at, last_seen_at)
      SELECT ${workspaceId}::uuid, 'bg-' || i,
        jsonb_build_object('email', 'bg' || i || '@example.com', 'country', 'US'), '{}', now(), now()
      FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
    await sql`
      INSERT INTO journeys
        (workspace_id, user_id, canvas_id, entry_seq, version, status, step_id, entered_at, updated_at)
      SELECT ${workspaceId}::uuid, 'bg-' || i, (${canvases}::uuid[])[1 + i % ${canvases.length}],
        1, 1, 'completed', 'fb', now(), now()
      FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
  }
  await sql`ANALYZE user_profiles`.execute(db);
  await sql`ANALYZE journeys`.execute(db);
}
