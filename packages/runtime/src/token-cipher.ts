import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { CanvasError } from './errors.js';

// 1: before tokens were bound to their row (no associated data); read, never written
const unbound = 1;
const bound = 2;

/** The row a sealed token belongs to; it is the AES-GCM associated data, so a copy elsewhere fails. */
export interface TokenRow {
  table: 'ad_accounts' | 'facebook_logins';
  workspaceId: string;
  id: string;
}

/** Encrypts access tokens at rest with AES-256-GCM, bound to their row; older keys still decrypt after a rotation. */
export interface TokenCipher {
  encrypt: (plaintext: string, row: TokenRow) => Buffer;
  decrypt: (sealed: Buffer, row: TokenRow) => string;
}

/** True for a token sealed before the row binding: decryptable, to be sealed again (see resealing at API start). */
export const isUnboundToken = (sealed: Buffer): boolean => sealed[0] === unbound;

// table names and uuids hold no ':', so the joined text names exactly one row
const associatedData = (row: TokenRow) => Buffer.from(`${row.table}:${row.workspaceId}:${row.id}`, 'utf8');

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
 * Layout: format (1 byte) · key id (4) · iv (12) · auth tag (16) · ciphertext. Format 2 authenticates
 * `table:workspace:id` as associated data; format 1 (unbound) is still read.
 * @example const cipher = createTokenCipher(process.env.TOKEN_ENCRYPTION_KEY, []);
 */
export function createTokenCipher(currentKey: string, previousKeys: readonly string[] = []): TokenCipher {
  const current = parseKey(currentKey);
  const keys = new Map([current, ...previousKeys.map(parseKey)].map((k) => [keyId(k).toString('hex'), k]));
  return {
    encrypt(plaintext, row) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(associatedData(row));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([bound]), keyId(current), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed, row) {
      if (sealed.length < 33 || (sealed[0] !== bound && sealed[0] !== unbound))
        throw new CanvasError('TOKEN_SEALED_INVALID', 'stored token has an unknown format');
      const key = keys.get(sealed.subarray(1, 5).toString('hex'));
      if (!key)
        throw new CanvasError('TOKEN_KEY_UNKNOWN', 'stored token was encrypted with a key that is not configured');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(5, 17));
      if (sealed[0] === bound) decipher.setAAD(associatedData(row));
      decipher.setAuthTag(sealed.subarray(17, 33));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(33)), decipher.final()]).toString('utf8');
      } catch {
        throw new CanvasError('TOKEN_SEALED_MISMATCH', 'stored token does not belong to this row, or was altered');
      }
    },
  };
}
