import { assertNever } from './assert-never.js';
import { sha256Hex } from './hash.js';
import { isHashedKey, type MatchKey } from './match-keys.js';
import {
  normalizeBirthDay,
  normalizeBirthMonth,
  normalizeBirthYear,
  normalizeCity,
  normalizeCountry,
  normalizeEmail,
  normalizeExternId,
  normalizeFirstInitial,
  normalizeGender,
  normalizeMadid,
  normalizeName,
  normalizePhone,
  normalizeState,
  normalizeZip,
} from '@canvas/normalize';

export interface NormalizeContext {
  /** The person's country (any spelling), used as the phone region and for ST / ZIP rules. */
  country?: string | undefined;
  /** For the upper bound of DOBY. */
  currentYear: number;
}

/** Normalizes one raw value by Meta's rules for its key; null means unusable. */
export function normalizeMatchValue(key: MatchKey, raw: string, context: NormalizeContext): string | null {
  const country = context.country === undefined ? undefined : (normalizeCountry(context.country) ?? undefined);
  switch (key) {
    case 'EMAIL':
      return normalizeEmail(raw);
    case 'PHONE':
      return normalizePhone(raw, country);
    case 'FN':
    case 'LN':
      return normalizeName(raw);
    case 'FI':
      return normalizeFirstInitial(raw);
    case 'GEN':
      return normalizeGender(raw);
    case 'DOBY':
      return normalizeBirthYear(raw, context.currentYear);
    case 'DOBM':
      return normalizeBirthMonth(raw);
    case 'DOBD':
      return normalizeBirthDay(raw);
    case 'CT':
      return normalizeCity(raw);
    case 'ST':
      return normalizeState(raw, country);
    case 'ZIP':
      return normalizeZip(raw, country);
    case 'COUNTRY':
      return normalizeCountry(raw);
    case 'MADID':
      return normalizeMadid(raw);
    case 'EXTERN_ID':
      return normalizeExternId(raw);
    default:
      return assertNever(key);
  }
}

export interface MatchValue {
  normalized: string;
  /** What is sent: the SHA-256 hex of the normalized value, or the value itself for MADID / EXTERN_ID. */
  value: string;
}

/** The value sent to Meta for a raw input, or null when it normalizes to nothing. */
export function matchValue(key: MatchKey, raw: string, context: NormalizeContext): MatchValue | null {
  const normalized = normalizeMatchValue(key, raw, context);
  if (normalized === null) return null;
  return { normalized, value: isHashedKey(key) ? sha256Hex(normalized) : normalized };
}
