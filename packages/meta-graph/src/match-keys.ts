/** The customer-file match keys this product can send, in Meta's spelling. */
export const matchKeys = [
  'EMAIL', 'PHONE', 'FN', 'LN', 'FI', 'GEN', 'DOBY', 'DOBM', 'DOBD', 'CT', 'ST', 'ZIP', 'COUNTRY', 'MADID', 'EXTERN_ID',
] as const;

export type MatchKey = (typeof matchKeys)[number];

/** Keys that identify a person on their own; a schema needs at least one of them. */
export const identifierKeys: readonly MatchKey[] = ['EMAIL', 'PHONE', 'MADID', 'EXTERN_ID'];

/** Meta's rule: MADID and EXTERN_ID are sent as they are; every other key is SHA-256 hashed. */
export const unhashedKeys: readonly MatchKey[] = ['MADID', 'EXTERN_ID'];

export function isMatchKey(value: string): value is MatchKey {
  return (matchKeys as readonly string[]).includes(value);
}

export function isHashedKey(key: MatchKey): boolean {
  return !unhashedKeys.includes(key);
}
