import type { AudienceStatus, EntryErrorCode, EntryOrigin } from '@canvas/canvas';
import type { Executor } from './connection.js';
import type { AudienceEntriesTable } from './schema.js';
import type { Selectable } from 'kysely';

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

/** Writes hand-offs; the (account, canvas, step, user, entry) key makes a replay a no-op. */
export async function insertAudienceEntries(tx: Executor, entries: readonly NewAudienceEntry[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < entries.length; i += 500) {
    const result = await tx
      .insertInto('audience_entries')
      .values(
        entries.slice(i, i + 500).map((e) => ({
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
          next_attempt_at: e.enteredAt,
          entered_at: e.enteredAt,
          deadline_at: e.deadlineAt,
          last_error: e.lastError ? JSON.stringify(e.lastError) : null,
          sent_at: null,
          updated_at: e.enteredAt,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['meta_account_id', 'canvas_id', 'step_id', 'user_id', 'entry_seq', 'action', 'workspace_id'])
          .doNothing(),
      )
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}
