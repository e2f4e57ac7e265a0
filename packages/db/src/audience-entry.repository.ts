import type { AudienceStatus, EntryErrorCode, EntryOrigin } from '@canvas/canvas';
import type { Executor } from './connection.js';
import type { AudienceEntriesTable } from './schema.js';
import { sql, type Selectable } from 'kysely';

export type AudienceEntryStatus = AudienceStatus;

/** The last error Meta gave for an entry, kept to answer "why isn't this user in my audience?". */
export interface EntryError {
  code: EntryErrorCode;
  classification?: string;
  message: string;
  metaCode?: number | null;
  metaSubcode?: number | null;
  fbtraceId?: string | null;
  at: string;
}

export interface AudienceEntry {
  id: string;
  /** The Meta ad account, connection and audience; null only when the step had none (the entry is Errored). */
  metaAccountId: string | null;
  adAccountId: string | null;
  workspaceId: string;
  audienceId: string | null;
  action: 'add' | 'remove';
  origin: EntryOrigin;
  canvasId: string;
  version: number;
  stepId: string;
  userId: string;
  entrySeq: number;
  schema: string[];
  values: string[];
  status: AudienceEntryStatus;
  attempts: number;
  nextAttemptAt: Date;
  enteredAt: Date;
  deadlineAt: Date;
  lastError: EntryError | null;
  sentAt: Date | null;
  updatedAt: Date;
  /** The re-drive that last sent the entry again, if one did. */
  redriveId: string | null;
}

export const toAudienceEntry = (row: Selectable<AudienceEntriesTable>): AudienceEntry => ({
  id: row.id,
  metaAccountId: row.meta_account_id,
  adAccountId: row.ad_account_id,
  workspaceId: row.workspace_id,
  audienceId: row.audience_id,
  action: row.action,
  origin: row.origin,
  canvasId: row.canvas_id,
  version: row.version,
  stepId: row.step_id,
  userId: row.user_id,
  entrySeq: row.entry_seq,
  schema: row.schema,
  values: row.row_values,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  enteredAt: row.entered_at,
  deadlineAt: row.deadline_at,
  lastError: row.last_error as EntryError | null,
  sentAt: row.sent_at,
  updatedAt: row.updated_at,
  redriveId: row.redrive_id,
});

/** A user's entries at one Facebook step, newest entry first. */
export async function entriesForUser(
  db: Executor,
  canvasId: string,
  stepId: string,
  userId: string,
): Promise<AudienceEntry[]> {
  const rows = await db
    .selectFrom('audience_entries')
    .selectAll()
    .where('canvas_id', '=', canvasId)
    .where('step_id', '=', stepId)
    .where('user_id', '=', userId)
    .orderBy('entry_seq', 'desc')
    .execute();
  return rows.map(toAudienceEntry);
}

/** A user handed to the sync by the runner: an entry before its first attempt. */
export type NewAudienceEntry = Omit<
  AudienceEntry,
  'id' | 'origin' | 'status' | 'attempts' | 'nextAttemptAt' | 'sentAt' | 'updatedAt' | 'redriveId'
> & {
  status: Exclude<AudienceStatus, 'synced'>;
};

/** Hand-offs per statement: they go as one JSON parameter, so a statement costs one parse. */
const entryChunk = 5_000;

/** Writes hand-offs; the (account, canvas, step, user, entry) key makes a replay a no-op. */
export async function insertAudienceEntries(tx: Executor, entries: readonly NewAudienceEntry[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < entries.length; i += entryChunk) {
    const rows = entries.slice(i, i + entryChunk).map((e) => ({
      meta_account_id: e.metaAccountId,
      ad_account_id: e.adAccountId,
      workspace_id: e.workspaceId,
      audience_id: e.audienceId,
      action: e.action,
      canvas_id: e.canvasId,
      version: e.version,
      step_id: e.stepId,
      user_id: e.userId,
      entry_seq: e.entrySeq,
      schema: e.schema,
      row_values: e.values,
      status: e.status,
      entered_at: e.enteredAt,
      deadline_at: e.deadlineAt,
      last_error: e.lastError,
    }));
    const result = await sql`
      INSERT INTO audience_entries (meta_account_id, ad_account_id, workspace_id, audience_id, action, canvas_id,
        version, step_id, user_id, entry_seq, schema, row_values, status, next_attempt_at, entered_at, deadline_at,
        last_error, sent_at, updated_at)
      SELECT meta_account_id, ad_account_id, workspace_id, audience_id, action, canvas_id, version, step_id, user_id,
        entry_seq, schema, row_values, status, entered_at, entered_at, deadline_at, last_error, NULL, entered_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(meta_account_id text, ad_account_id uuid,
        workspace_id uuid, audience_id text, action text, canvas_id uuid, version int, step_id text, user_id text,
        entry_seq int, schema text[], row_values text[], status text, entered_at timestamptz, deadline_at timestamptz,
        last_error jsonb)
      ON CONFLICT (meta_account_id, canvas_id, step_id, user_id, entry_seq, action, workspace_id) DO NOTHING`.execute(
      tx,
    );
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}
