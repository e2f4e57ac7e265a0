import { sql } from 'kysely';
import { type JourneyStatus } from '@canvas/canvas';
import type { Executor } from './connection.js';
import { type UserRef } from './user-ref.js';

export interface StoredJourney {
  workspaceId: string;
  userId: string;
  canvasId: string;
  entrySeq: number;
  version: number;
  status: JourneyStatus;
  stepId: string | null;
  enteredAt: Date;
  convertedAt: Date | null;
}

export async function loadJourneys(tx: Executor, users: readonly UserRef[]): Promise<StoredJourney[]> {
  if (users.length === 0) return [];
  const rows = await sql<{
    workspace_id: string;
    user_id: string;
    canvas_id: string;
    entry_seq: number;
    version: number;
    status: StoredJourney['status'];
    step_id: string | null;
    entered_at: Date;
    converted_at: Date | null;
  }>`
    -- one primary-key probe per user (OFFSET 0: never flattened into a whole-table join)
    SELECT j.* FROM unnest(${users.map((x) => x.workspaceId)}::uuid[], ${users.map((x) => x.userId)}::text[]) AS k(w, u)
    CROSS JOIN LATERAL (SELECT * FROM journeys WHERE workspace_id = k.w AND user_id = k.u OFFSET 0) j`.execute(tx);
  return rows.rows.map((r) => ({
    workspaceId: r.workspace_id,
    userId: r.user_id,
    canvasId: r.canvas_id,
    entrySeq: r.entry_seq,
    version: r.version,
    status: r.status,
    stepId: r.step_id,
    enteredAt: r.entered_at,
    convertedAt: r.converted_at,
  }));
}

/** Rows per statement: each column goes as one array parameter (`unnest`), so a statement costs one parse. */
const journeyChunk = 10_000;

export async function saveJourneys(tx: Executor, journeys: readonly StoredJourney[], now: Date): Promise<void> {
  for (let i = 0; i < journeys.length; i += journeyChunk) {
    const chunk = journeys.slice(i, i + journeyChunk);
    await sql`
      INSERT INTO journeys (workspace_id, user_id, canvas_id, entry_seq, version, status, step_id, entered_at,
        converted_at, updated_at)
      SELECT j.*, ${now.toISOString()}::timestamptz FROM unnest(
        ${chunk.map((j) => j.workspaceId)}::uuid[], ${chunk.map((j) => j.userId)}::text[],
        ${chunk.map((j) => j.canvasId)}::uuid[], ${chunk.map((j) => j.entrySeq)}::int[],
        ${chunk.map((j) => j.version)}::int[], ${chunk.map((j) => j.status)}::text[],
        ${chunk.map((j) => j.stepId)}::text[], ${chunk.map((j) => j.enteredAt.toISOString())}::timestamptz[],
        ${chunk.map((j) => j.convertedAt?.toISOString() ?? null)}::timestamptz[]
      ) AS j
      ON CONFLICT (workspace_id, user_id, canvas_id) DO UPDATE SET
        entry_seq = excluded.entry_seq, version = excluded.version, status = excluded.status,
        step_id = excluded.step_id, entered_at = excluded.entered_at, updated_at = excluded.updated_at,
        converted_at = excluded.converted_at`.execute(tx);
  }
}

/** Locks the users' journeys only through their profiles; this reads one journey for tests and tools. */
export async function findJourney(
  db: Executor,
  workspaceId: string,
  userId: string,
  canvasId: string,
): Promise<StoredJourney | undefined> {
  const [journey] = (await loadJourneys(db, [{ workspaceId, userId }])).filter((j) => j.canvasId === canvasId);
  return journey;
}
