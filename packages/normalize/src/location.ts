import { lettersAndDigits, lettersOnly, orNull } from './text.js';
import { usStateCodes, usStates } from './us-states.js';

/** Meta: lowercase, no punctuation, no special characters, no whitespace ("San Francisco" → "sanfrancisco"). */
export function normalizeCity(raw: string): string | null {
  return orNull(lettersOnly(raw));
}

/** A state's code by its name; names are the table's own keys, never inherited ones. */
const usStateNamed = (name: string): string | undefined => (Object.hasOwn(usStates, name) ? usStates[name] : undefined);

/**
 * Meta: US states as their two-letter code, lowercase; elsewhere lowercase without punctuation
 * or spaces. Without a country, a US state name or code is still recognised.
 */
export function normalizeState(raw: string, country?: string): string | null {
  const lower = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const usOrUnknown = country === undefined || country === 'us';
  if (usOrUnknown) {
    const byName = usStateNamed(lower.replace(/\./g, '').trim()) ?? usStateNamed(lower);
    if (byName) return byName;
    const code = lower.replace(/[^a-z]/g, '');
    if (code.length === 2 && usStateCodes.has(code)) return code;
  }
  return orNull(lettersAndDigits(raw));
}

/**
 * Meta: lowercase without whitespace; US ZIP+4 keeps the first five digits; UK postcodes keep
 * area, district and sector ("SW1A 1AA" → "sw1a1").
 */
export function normalizeZip(raw: string, country?: string): string | null {
  const compact = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '');
  if (compact.length === 0) return null;
  if (country === 'us' || (country === undefined && /^\d{5}(\d{4})?$/.test(compact))) {
    return /^\d{5}/.test(compact) ? compact.slice(0, 5) : null;
  }
  if (country === 'gb') {
    const uk = /^([a-z]{1,2}\d[a-z\d]?)(\d)[a-z]{2}$/.exec(compact);
    if (uk) return `${uk[1]}${uk[2]}`;
  }
  return orNull(compact.replace(/[^\p{L}\p{N}]/gu, ''));
}
