import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createTokenCipher } from './token-cipher.js';

const key = () => randomBytes(32).toString('base64');

describe('token cipher', () => {
  it('round-trips and never stores the plaintext', () => {
    const cipher = createTokenCipher(key());
    const sealed = cipher.encrypt('EAAB-very-secret');
    expect(sealed.toString('utf8')).not.toContain('EAAB');
    expect(cipher.decrypt(sealed)).toBe('EAAB-very-secret');
    expect(cipher.encrypt('EAAB-very-secret').equals(sealed)).toBe(false);
  });

  it('decrypts with a previous key after rotation and refuses unknown keys or tampering', () => {
    const oldKey = key();
    const sealed = createTokenCipher(oldKey).encrypt('t1');
    expect(createTokenCipher(key(), [oldKey]).decrypt(sealed)).toBe('t1');
    expect(() => createTokenCipher(key()).decrypt(sealed)).toThrow(
      expect.objectContaining({ code: 'TOKEN_KEY_UNKNOWN' }),
    );
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => createTokenCipher(oldKey).decrypt(tampered)).toThrow();
    expect(() => createTokenCipher('short')).toThrow(expect.objectContaining({ code: 'TOKEN_KEY_INVALID' }));
  });
});
