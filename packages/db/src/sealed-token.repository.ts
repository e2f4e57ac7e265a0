import type { Executor } from './connection.js';
import type { SealedTokenRow } from './token-row.js';

/** A sealed token with the row it sits in. */
export interface StoredToken extends SealedTokenRow {
  tokenCiphertext: Buffer;
}

/** Tokens sealed in the given format (the first byte), in both tables that hold them. */
export async function tokensInFormat(db: Executor, format: number): Promise<StoredToken[]> {
  const accounts = await db
    .selectFrom('ad_accounts')
    .select(['id', 'workspace_id', 'token_ciphertext'])
    .where((eb) => eb(eb.fn('get_byte', ['token_ciphertext', eb.lit(0)]), '=', format))
    .execute();
  const logins = await db
    .selectFrom('facebook_logins')
    .select(['id', 'workspace_id', 'token_ciphertext'])
    .where('token_ciphertext', 'is not', null)
    .where((eb) => eb(eb.fn('get_byte', ['token_ciphertext', eb.lit(0)]), '=', format))
    .execute();
  return [
    ...accounts.map((r) => ({
      table: 'ad_accounts' as const,
      workspaceId: r.workspace_id,
      id: r.id,
      tokenCiphertext: r.token_ciphertext,
    })),
    ...logins.flatMap((r) =>
      r.token_ciphertext
        ? [
            {
              table: 'facebook_logins' as const,
              workspaceId: r.workspace_id,
              id: r.id,
              tokenCiphertext: r.token_ciphertext,
            },
          ]
        : [],
    ),
  ];
}

/** Replaces a sealed token only if it is still the one read (a token written meanwhile wins). */
export async function replaceSealedToken(db: Executor, stored: StoredToken, sealed: Buffer): Promise<boolean> {
  const result = await db
    .updateTable(stored.table)
    .set({ token_ciphertext: sealed })
    .where('id', '=', stored.id)
    .where('workspace_id', '=', stored.workspaceId)
    .where('token_ciphertext', '=', stored.tokenCiphertext)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
