import { identifierKeys, isMatchKey, matchKeys, type MatchKey } from '@canvas/canvas';

export { identifierKeys, isMatchKey, matchKeys, type MatchKey };

/** Meta's rule: MADID and EXTERN_ID are sent as they are; every other key is SHA-256 hashed. */
export const unhashedKeys: readonly MatchKey[] = ['MADID', 'EXTERN_ID'];

export function isHashedKey(key: MatchKey): boolean {
  return !unhashedKeys.includes(key);
}
