import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createTokenCipher, isUnboundToken, type TokenRow } from './token-cipher.js';

const key = () => randomBytes(32).toString('base64');
const row = (): TokenRow => ({ table: 'ad_accounts', workspaceId: randomUUID(), id: randomUUID() });

/** A token as the cipher wrote it before row binding: format 1, no associated data. */
function sealUnbound(base64Key: string, plaintext: string): Buffer {
  const k = Buffer.from(base64Key, 'base64');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const id = createHash('sha256').update(k).digest().subarray(0, 4);
  return Buffer.concat([Buffer.from([1]), id, iv, cipher.getAuthTag(), body]);
}

describe('token cipher', () => {
  it('round-trips and never stores the plaintext', () => {
    const cipher = createTokenCipher(key());
    const at = row();
    const sealed = cipher.encrypt('EAAB-very-secret', at);
    expect(sealed.toString('utf8')).not.toContain('EAAB');
    expect(cipher.decrypt(sealed, at)).toBe('EAAB-very-secret');
    expect(cipher.encrypt('EAAB-very-secret', at).equals(sealed)).toBe(false);
    expect(isUnboundToken(sealed)).toBe(false);
  });

  it.each([
    ['another row', (r: TokenRow): TokenRow => ({ ...r, id: randomUUID() })],
    ['another workspace', (r: TokenRow): TokenRow => ({ ...r, workspaceId: randomUUID() })],
    ['another table', (r: TokenRow): TokenRow => ({ ...r, table: 'facebook_logins' })],
  ])('refuses a token copied to %s', (_name, move) => {
    const cipher = createTokenCipher(key());
    const at = row();
    const sealed = cipher.encrypt('EAAB-bound', at);
    expect(() => cipher.decrypt(sealed, move(at))).toThrow(expect.objectContaining({ code: 'TOKEN_SEALED_MISMATCH' }));
  });

  it('still reads a token sealed before row binding, and says it is one', () => {
    const k = key();
    const legacy = sealUnbound(k, 'EAAB-old');
    expect(isUnboundToken(legacy)).toBe(true);
    expect(createTokenCipher(k).decrypt(legacy, row())).toBe('EAAB-old');
  });

  it('decrypts with a previous key after rotation and refuses unknown keys or tampering', () => {
    const oldKey = key();
    const at = row();
    const sealed = createTokenCipher(oldKey).encrypt('t1', at);
    expect(createTokenCipher(key(), [oldKey]).decrypt(sealed, at)).toBe('t1');
    expect(() => createTokenCipher(key()).decrypt(sealed, at)).toThrow(
      expect.objectContaining({ code: 'TOKEN_KEY_UNKNOWN' }),
    );
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => createTokenCipher(oldKey).decrypt(tampered, at)).toThrow();
    expect(() => createTokenCipher('short')).toThrow(expect.objectContaining({ code: 'TOKEN_KEY_INVALID' }));
  });
});
