import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWorkspaceWithKey, resealUnboundTokens } from '@canvas/api';
import { adAccountTokenRow } from '@canvas/db';
import { createTokenCipher } from '@canvas/runtime';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

/** What the cipher wrote before tokens were bound to their row: format 1, no associated data. */
function sealUnbound(base64Key: string, plaintext: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const keyId = createHash('sha256').update(key).digest().subarray(0, 4);
  return Buffer.concat([Buffer.from([1]), keyId, iv, cipher.getAuthTag(), body]);
}

describe('access tokens are bound to the row they are stored in (PostgreSQL)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => h.close());

  const connect = async (apiKey: string) => {
    const { accountId, token } = h.sandboxAccount();
    const answer = await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token }, apiKey);
    expect(answer.statusCode).toBe(201);
    return { id: answer.json<{ id: string }>().id, token };
  };
  const sealedOf = async (id: string) =>
    (
      await h.database.db
        .selectFrom('ad_accounts')
        .select(['token_ciphertext', 'workspace_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).token_ciphertext;

  it("refuses a ciphertext copied into another workspace's row: Meta is never called with it", async () => {
    const mine = await connect(h.apiKey);
    const other = await createWorkspaceWithKey(h.database.db, 'Other');
    const theirs = await connect(other.apiKey);
    await h.database.db
      .updateTable('ad_accounts')
      .set({ token_ciphertext: await sealedOf(mine.id) })
      .where('id', '=', theirs.id)
      .execute();
    const cipher = createTokenCipher(h.encryptionKey);
    const moved = await sealedOf(theirs.id);
    expect(() => cipher.decrypt(moved, adAccountTokenRow({ workspaceId: other.workspaceId, id: theirs.id }))).toThrow(
      expect.objectContaining({ code: 'TOKEN_SEALED_MISMATCH' }),
    );
    const seen = h.sandbox.state.requests.length;
    const listed = await h.call('GET', `/v1/ad-accounts/${theirs.id}/audiences`, undefined, other.apiKey);
    expect(listed.statusCode).toBe(500);
    expect(listed.body).not.toContain(mine.token);
    expect(h.sandbox.state.requests.length).toBe(seen);
    // in its own row it still reads
    const own = await h.call('GET', `/v1/ad-accounts/${mine.id}/audiences`);
    expect(own.statusCode).toBe(200);
  });

  it('still reads a token stored before the binding, and seals it bound once at start', async () => {
    const account = await connect(h.apiKey);
    await h.database.db
      .updateTable('ad_accounts')
      .set({ token_ciphertext: sealUnbound(h.encryptionKey, account.token) })
      .where('id', '=', account.id)
      .execute();
    expect((await h.call('GET', `/v1/ad-accounts/${account.id}/audiences`)).statusCode).toBe(200);

    const cipher = createTokenCipher(h.encryptionKey);
    expect(await resealUnboundTokens(h.database.db, cipher)).toBe(1);
    expect(await resealUnboundTokens(h.database.db, cipher)).toBe(0);
    const resealed = await sealedOf(account.id);
    expect(resealed[0]).toBe(2);
    const row = adAccountTokenRow({ workspaceId: h.workspaceId, id: account.id });
    expect(cipher.decrypt(resealed, row)).toBe(account.token);
    expect((await h.call('GET', `/v1/ad-accounts/${account.id}/audiences`)).statusCode).toBe(200);
  });
});
