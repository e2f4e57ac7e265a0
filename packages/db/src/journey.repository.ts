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
    SELECT j.* FROM journeys j
    JOIN unnest(${users.map((x) => x.workspaceId)}::uuid[], ${users.map((x) => x.userId)}::text[]) AS k(w, u)
      ON j.workspace_id = k.w AND j.user_id = k.u`.execute(tx);
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

export async function saveJourneys(tx: Executor, journeys: readonly StoredJourney[], now: Date): Promise<void> {
  for (let i = 0; i < journeys.length; i += 1000) {
    const chunk = journeys.slice(i, i + 1000);
    await tx
      .insertInto('journeys')
      .values(
        chunk.map((j) => ({
          workspace_id: j.workspaceId,
          user_id: j.userId,
          canvas_id: j.canvasId,
          entry_seq: j.entrySeq,
          version: j.version,
          status: j.status,
          step_id: j.stepId,
          entered_at: j.enteredAt,
          updated_at: now,
          converted_at: j.convertedAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'user_id', 'canvas_id']).doUpdateSet((eb) => ({
          entry_seq: eb.ref('excluded.entry_seq'),
          version: eb.ref('excluded.version'),
          status: eb.ref('excluded.status'),
          step_id: eb.ref('excluded.step_id'),
          entered_at: eb.ref('excluded.entered_at'),
          updated_at: eb.ref('excluded.updated_at'),
          converted_at: eb.ref('excluded.converted_at'),
        })),
      )
      .execute();
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
