/** The customer-file match keys a Facebook Audience step may use, in Meta's spelling. */
export const matchKeys = [
  'EMAIL',
  'PHONE',
  'FN',
  'LN',
  'FI',
  'GEN',
  'DOBY',
  'DOBM',
  'DOBD',
  'CT',
  'ST',
  'ZIP',
  'COUNTRY',
  'MADID',
  'EXTERN_ID',
] as const;

export type MatchKey = (typeof matchKeys)[number];

/** Keys that identify a person on their own; a step needs at least one of them. */
export const identifierKeys: readonly MatchKey[] = ['EMAIL', 'PHONE', 'MADID', 'EXTERN_ID'];

export function isMatchKey(value: string): value is MatchKey {
  return (matchKeys as readonly string[]).includes(value);
}
