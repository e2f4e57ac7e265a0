import { rawMatchValue, traitText, type MatchSource } from '@canvas/canvas';
import { identifierKeys, isHashedKey, type MatchKey } from './match-keys.js';
import { normalizeMatchValue } from './match-value.js';

/**
 * Whether `matchRow(schema, source, currentYear).usable` would hold — an identifier key of the
 * schema has a value Meta's normalisation keeps — without hashing anything: a dry run asks it
 * for every user a Facebook step would receive.
 */
export function hasUsableIdentifier(schema: readonly MatchKey[], source: MatchSource, currentYear: number): boolean {
  let country: string | undefined;
  let countryRead = false;
  return schema.some((key) => {
    if (!identifierKeys.includes(key)) return false;
    const raw = rawMatchValue(key, source);
    if (raw === undefined) return false;
    if (!countryRead) {
      country = traitText(source.traits, 'country', 'address.country');
      countryRead = true;
    }
    const normalized = normalizeMatchValue(key, raw, { country, currentYear });
    // a hashed value is never empty; an unhashed one is sent as it is
    return normalized !== null && (isHashedKey(key) || normalized !== '');
  });
}
