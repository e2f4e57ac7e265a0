import { createHash, randomBytes } from 'node:crypto';

/** A new API key: shown once; only its hash is stored. */
export function generateApiKey(): { key: string; hash: Buffer; prefix: string } {
  const key = `cjk_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
