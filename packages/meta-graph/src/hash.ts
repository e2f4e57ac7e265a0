import { createHash } from 'node:crypto';

/** SHA-256 of the UTF-8 bytes as lowercase hex, the only form Meta accepts. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A 64-character lowercase hex string, as Meta expects for hashed keys. */
export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
