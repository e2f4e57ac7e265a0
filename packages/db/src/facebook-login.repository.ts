import type { Executor } from './connection.js';

export type FacebookLoginStatus = 'started' | 'authorized' | 'denied' | 'failed' | 'connected';

export interface ReachableAccount {
  id: string;
  name: string;
}

export interface FacebookLogin {
  id: string;
  workspaceId: string;
  redirectUri: string;
  /** SHA-256 of the secret the starting browser holds; null for logins started before the binding. */
  bindingHash: string | null;
  status: FacebookLoginStatus;
  failure: string | null;
  tokenCiphertext: Buffer | null;
  tokenExpiresAt: Date | null;
  reachableAccounts: ReachableAccount[];
  startedBy: string;
  createdAt: Date;
  expiresAt: Date;
}

const toLogin = (row: {
  id: string;
  workspace_id: string;
  redirect_uri: string;
  binding_hash: string | null;
  status: FacebookLoginStatus;
  failure: string | null;
  token_ciphertext: Buffer | null;
  token_expires_at: Date | null;
  reachable_accounts: unknown;
  started_by: string;
  created_at: Date;
  expires_at: Date;
}): FacebookLogin => ({
  id: row.id,
  workspaceId: row.workspace_id,
  redirectUri: row.redirect_uri,
  bindingHash: row.binding_hash,
  status: row.status,
  failure: row.failure,
  tokenCiphertext: row.token_ciphertext,
  tokenExpiresAt: row.token_expires_at,
  reachableAccounts: (row.reachable_accounts ?? []) as ReachableAccount[],
  startedBy: row.started_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export async function insertFacebookLogin(
  db: Executor,
  login: {
    id: string;
    workspaceId: string;
    stateHash: string;
    bindingHash: string;
    redirectUri: string;
    startedBy: string;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('facebook_logins')
    .values({
      id: login.id,
      workspace_id: login.workspaceId,
      state_hash: login.stateHash,
      binding_hash: login.bindingHash,
      redirect_uri: login.redirectUri,
      status: 'started',
      started_by: login.startedBy,
      created_at: login.now,
      expires_at: login.expiresAt,
      updated_at: login.now,
    })
    .execute();
}

/**
 * Takes the started login a state belongs to, once: the row moves on from `started` in the same
 * statement, so a replayed callback finds nothing.
 */
export async function claimStartedLogin(
  db: Executor,
  stateHash: string,
  now: Date,
): Promise<FacebookLogin | undefined> {
  const row = await db
    .updateTable('facebook_logins')
    .set({ status: 'failed', failure: 'the code exchange did not finish', updated_at: now })
    .where('state_hash', '=', stateHash)
    .where('status', '=', 'started')
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
  return row && toLogin(row);
}

export async function finishLogin(
  db: Executor,
  id: string,
  outcome:
    | { status: 'authorized'; tokenCiphertext: Buffer; tokenExpiresAt: Date | null; accounts: ReachableAccount[] }
    | { status: 'denied' | 'failed'; failure: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('facebook_logins')
    .set(
      outcome.status === 'authorized'
        ? {
            status: 'authorized',
            failure: null,
            token_ciphertext: outcome.tokenCiphertext,
            token_expires_at: outcome.tokenExpiresAt,
            reachable_accounts: JSON.stringify(outcome.accounts),
            updated_at: now,
          }
        : { status: outcome.status, failure: outcome.failure, updated_at: now },
    )
    .where('id', '=', id)
    .execute();
}

export async function findFacebookLogin(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<FacebookLogin | undefined> {
  const row = await db
    .selectFrom('facebook_logins')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toLogin(row);
}

/** Ends an authorized login once its accounts are connected: the token now lives with them. */
export async function markLoginConnected(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('facebook_logins')
    .set({ status: 'connected', token_ciphertext: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'authorized')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Drops the token of every authorized login left unconnected past its expiry; answers how many. */
export async function purgeExpiredLoginTokens(db: Executor, now: Date): Promise<number> {
  const result = await db
    .updateTable('facebook_logins')
    .set({
      status: 'failed',
      failure: 'expired before accounts were connected; its token was dropped',
      token_ciphertext: null,
      updated_at: now,
    })
    .where('status', '=', 'authorized')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
