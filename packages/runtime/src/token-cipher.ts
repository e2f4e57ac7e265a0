import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { CanvasError } from './errors.js';

const format = 1;

/** Encrypts access tokens at rest with AES-256-GCM; older keys still decrypt after a rotation. */
export interface TokenCipher {
  encrypt: (plaintext: string) => Buffer;
  decrypt: (sealed: Buffer) => string;
}

function keyId(key: Buffer): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, 4);
}

function parseKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32)
    throw new CanvasError(
      'TOKEN_KEY_INVALID',
      'TOKEN_ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)',
    );
  return key;
}

/**
 * Layout: format (1 byte) · key id (4) · iv (12) · auth tag (16) · ciphertext.
 * @example const cipher = createTokenCipher(process.env.TOKEN_ENCRYPTION_KEY, []);
 */
export function createTokenCipher(currentKey: string, previousKeys: readonly string[] = []): TokenCipher {
  const current = parseKey(currentKey);
  const keys = new Map([current, ...previousKeys.map(parseKey)].map((k) => [keyId(k).toString('hex'), k]));
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([format]), keyId(current), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      if (sealed.length < 33 || sealed[0] !== format)
        throw new CanvasError('TOKEN_SEALED_INVALID', 'stored token has an unknown format');
      const key = keys.get(sealed.subarray(1, 5).toString('hex'));
      if (!key)
        throw new CanvasError('TOKEN_KEY_UNKNOWN', 'stored token was encrypted with a key that is not configured');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(5, 17));
      decipher.setAuthTag(sealed.subarray(17, 33));
      return Buffer.concat([decipher.update(sealed.subarray(33)), decipher.final()]).toString('utf8');
    },
  };
}
