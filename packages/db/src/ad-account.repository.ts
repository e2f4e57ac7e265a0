import { sql } from 'kysely';
import { liveCanvasStatuses } from '@canvas/canvas';
import type { Executor } from './connection.js';
import type { AdAccountRow } from './schema.js';

export type AdAccountStatus = 'connected' | 'disconnected' | 'tos_not_accepted';

export interface AdAccount {
  id: string;
  workspaceId: string;
  /** Meta's id, without the act_ prefix. */
  metaAccountId: string;
  name: string;
  status: AdAccountStatus;
  statusReason: string | null;
  /** Since when the sync cannot use this connection (its users wait); null while connected. */
  heldSince: Date | null;
  /** When Meta says the token expires; null when it never does or was not told. */
  tokenExpiresAt: Date | null;
  tokenCheckedAt: Date | null;
  isDefault: boolean;
  addedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An account with its encrypted token, for the services that call Meta. */
export interface AdAccountWithToken extends AdAccount {
  tokenCiphertext: Buffer;
}

const toAdAccount = (row: AdAccountRow): AdAccount => ({
  id: row.id,
  workspaceId: row.workspace_id,
  metaAccountId: row.meta_account_id,
  name: row.name,
  status: row.status,
  statusReason: row.status_reason,
  heldSince: row.held_since,
  tokenExpiresAt: row.token_expires_at,
  tokenCheckedAt: row.token_checked_at,
  isDefault: row.is_default,
  addedBy: row.added_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function insertAdAccount(
  db: Executor,
  account: Omit<AdAccountWithToken, 'createdAt' | 'updatedAt' | 'heldSince' | 'tokenExpiresAt' | 'tokenCheckedAt'> & {
    now: Date;
    tokenExpiresAt?: Date | null;
  },
): Promise<AdAccount> {
  const row = await db
    .insertInto('ad_accounts')
    .values({
      id: account.id,
      workspace_id: account.workspaceId,
      meta_account_id: account.metaAccountId,
      name: account.name,
      status: account.status,
      status_reason: account.statusReason,
      held_since: account.status === 'connected' ? null : account.now,
      token_expires_at: account.tokenExpiresAt ?? null,
      token_checked_at: account.now,
      token_ciphertext: account.tokenCiphertext,
      is_default: account.isDefault,
      added_by: account.addedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAdAccount(row);
}

export async function listAdAccounts(db: Executor, workspaceId: string): Promise<AdAccount[]> {
  const rows = await db
    .selectFrom('ad_accounts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .execute();
  return rows.map(toAdAccount);
}

/** One connection of the workspace, found by our id or by Meta's account id, with its sealed token. */
async function findOneAdAccount(
  db: Executor,
  workspaceId: string,
  by: 'id' | 'meta_account_id',
  value: string,
): Promise<AdAccountWithToken | undefined> {
  const row = await db
    .selectFrom('ad_accounts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(by, '=', value)
    .executeTakeFirst();
  return row && { ...toAdAccount(row), tokenCiphertext: row.token_ciphertext };
}

export const findAdAccount = (db: Executor, workspaceId: string, id: string) =>
  findOneAdAccount(db, workspaceId, 'id', id);

export const findAdAccountByMetaId = (db: Executor, workspaceId: string, metaAccountId: string) =>
  findOneAdAccount(db, workspaceId, 'meta_account_id', metaAccountId);

export async function findDefaultAdAccount(db: Executor, workspaceId: string): Promise<AdAccountWithToken | undefined> {
  const row = await db
    .selectFrom('ad_accounts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('is_default', '=', true)
    .executeTakeFirst();
  return row && { ...toAdAccount(row), tokenCiphertext: row.token_ciphertext };
}

/** Every workspace connection to one Meta ad account (the sync owns them together). */
export async function adAccountsForMetaId(db: Executor, metaAccountId: string): Promise<AdAccountWithToken[]> {
  const rows = await db.selectFrom('ad_accounts').selectAll().where('meta_account_id', '=', metaAccountId).execute();
  return rows.map((row) => ({ ...toAdAccount(row), tokenCiphertext: row.token_ciphertext }));
}

/** A new token for a connection, with the status Meta's checks gave it. */
export async function updateAdAccountToken(
  db: Executor,
  workspaceId: string,
  id: string,
  change: {
    tokenCiphertext: Buffer;
    status: AdAccountStatus;
    statusReason: string | null;
    name: string;
    now: Date;
    tokenExpiresAt?: Date | null;
  },
): Promise<AdAccount | undefined> {
  const row = await changeStatus(db, id, change.status, change.statusReason, change.now, {
    workspaceId,
    tokenCiphertext: change.tokenCiphertext,
    name: change.name,
    token: { expiresAt: change.tokenExpiresAt ?? null },
  });
  return row && toAdAccount(row);
}

export async function setAdAccountStatus(
  db: Executor,
  id: string,
  status: AdAccountStatus,
  reason: string | null,
  now: Date,
): Promise<void> {
  await changeStatus(db, id, status, reason, now);
}

/** The workspace a connection belongs to (connection ids are unique across workspaces). */
async function connectionWorkspace(db: Executor, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('ad_accounts').select('workspace_id').where('id', '=', id).executeTakeFirst();
  return row?.workspace_id;
}

/**
 * Moves a connection to `status` in one statement. Leaving `connected` starts a hold; coming
 * back ends it and moves the retry window of each of its pending users on by the time that
 * user was held, due at once: the window counts only time in which the sync could try.
 */
async function changeStatus(
  db: Executor,
  id: string,
  status: AdAccountStatus,
  reason: string | null,
  now: Date,
  also: { workspaceId?: string; tokenCiphertext?: Buffer; name?: string; token?: { expiresAt: Date | null } } = {},
): Promise<AdAccountRow | undefined> {
  const at = now.toISOString();
  // the lock names the workspace (one shard); the sync knows a connection by its id alone
  const workspaceId = also.workspaceId ?? (await connectionWorkspace(db, id));
  if (workspaceId === undefined) return undefined;
  const result = await sql<AdAccountRow>`
    WITH before AS (
      SELECT id, workspace_id, held_since FROM ad_accounts
      WHERE workspace_id = ${workspaceId} AND id = ${id}
      FOR UPDATE
    ), changed AS (
      UPDATE ad_accounts a SET status = ${status}, status_reason = ${reason}, updated_at = ${at}::timestamptz,
        held_since = CASE WHEN ${status} = 'connected' THEN NULL ELSE coalesce(a.held_since, ${at}::timestamptz) END
        ${also.tokenCiphertext === undefined ? sql`` : sql`, token_ciphertext = ${also.tokenCiphertext}`}
        ${also.name === undefined ? sql`` : sql`, name = ${also.name}`}
        ${
          also.token === undefined
            ? sql``
            : sql`, token_expires_at = ${also.token.expiresAt}, token_checked_at = ${at}::timestamptz`
        }
      FROM before b WHERE a.workspace_id = b.workspace_id AND a.id = b.id
      RETURNING a.*, b.held_since AS was_held_since
    ), resumed AS (
      UPDATE audience_entries e
      SET deadline_at = e.deadline_at + (${at}::timestamptz - greatest(c.was_held_since, e.entered_at)),
        next_attempt_at = least(e.next_attempt_at, ${at}::timestamptz), updated_at = ${at}::timestamptz
      FROM changed c
      WHERE c.status = 'connected' AND c.was_held_since IS NOT NULL
        AND e.workspace_id = c.workspace_id AND e.meta_account_id = c.meta_account_id AND e.ad_account_id = c.id
        AND e.status = 'pending'
    )
    SELECT id, workspace_id, meta_account_id, name, status, status_reason, held_since, token_expires_at,
      token_checked_at, token_ciphertext, is_default, added_by, created_at, updated_at
    FROM changed`.execute(db);
  return result.rows[0];
}

/**
 * What a token check found: when the token expires, and — when Meta says it is no longer valid —
 * the connection disconnected (its users held, see `changeStatus`).
 */
export async function recordTokenCheck(
  db: Executor,
  id: string,
  check: { valid: boolean; expiresAt: Date | null; reason: string; now: Date },
): Promise<void> {
  await db
    .updateTable('ad_accounts')
    .set({ token_expires_at: check.expiresAt, token_checked_at: check.now })
    .where('id', '=', id)
    .execute();
  if (!check.valid) await changeStatus(db, id, 'disconnected', check.reason, check.now);
}

/** Makes one account the workspace's default and clears the flag on the others. */
export async function setDefaultAdAccount(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const exists = await db
    .selectFrom('ad_accounts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!exists) return false;
  await db
    .updateTable('ad_accounts')
    .set({ is_default: false })
    .where('workspace_id', '=', workspaceId)
    .where('is_default', '=', true)
    .execute();
  await db.updateTable('ad_accounts').set({ is_default: true }).where('id', '=', id).execute();
  return true;
}

export async function deleteAdAccount(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('ad_accounts')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Names of running or paused canvases whose live version sends to this account. */
export async function liveCanvasesUsingAdAccount(
  db: Executor,
  workspaceId: string,
  adAccountId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('canvases as c')
    .innerJoin('canvas_versions as v', (join) =>
      join
        .onRef('v.workspace_id', '=', 'c.workspace_id')
        .onRef('v.canvas_id', '=', 'c.id')
        .onRef('v.version', '=', 'c.live_version'),
    )
    .select('c.name')
    .where('c.workspace_id', '=', workspaceId)
    .where('c.status', 'in', liveCanvasStatuses)
    .where(
      sql<boolean>`jsonb_path_exists(
        v.resolved, '$.*.adAccountId ? (@ == $id)', jsonb_build_object('id', ${adAccountId}::text)
      )`,
    )
    .execute();
  return rows.map((r) => r.name);
}
