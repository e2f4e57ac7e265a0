import { rawMatchValue, traitText, type MatchSource } from '@canvas/canvas';
import { identifierKeys, type MatchKey } from './match-keys.js';
import { matchValue } from './match-value.js';

export { rawMatchValue, type MatchSource };

export interface MatchRow {
  /** One cell per schema key: the value to send, or "" when the user has none. */
  values: string[];
  /** True when at least one identifier key (email, phone, MADID, external id) has a value. */
  usable: boolean;
}

/** The row a user contributes to a multi-key `/users` payload for the given schema. */
export function matchRow(schema: readonly MatchKey[], source: MatchSource, currentYear: number): MatchRow {
  const country = traitText(source.traits, 'country', 'address.country');
  const values = schema.map((key) => {
    const raw = rawMatchValue(key, source);
    return raw === undefined ? '' : (matchValue(key, raw, { country, currentYear })?.value ?? '');
  });
  const usable = schema.some((key, i) => identifierKeys.includes(key) && values[i] !== '');
  return { values, usable };
}
