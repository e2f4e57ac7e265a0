import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { phoneWithoutPlus } from './phone-without-plus.js';

// E.164 allows at most 15 digits; fewer than 8 with a country code is no phone number anywhere
const plausibleDigits = (digits: string) => digits.length >= 8 && digits.length <= 15;

/**
 * Meta: digits only, with the country code, without leading zeros. Parsed with libphonenumber
 * so national trunk prefixes go too: "(+84) 091-2345678" → "84912345678". The user's country
 * is the default region for numbers written without a country code. Numbers are never checked
 * against validity metadata: a possible number, or one of plausible length in a known country
 * code, is kept (docs/decisions/0011).
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  const text = raw
    .trim()
    .replace(/^00/, '+')
    .replace(/^\(\s*\+/, '+')
    .replace(/^\+\s*(\d+)\s*\)/, '+$1 ');
  const region =
    defaultCountry && /^[A-Za-z]{2}$/.test(defaultCountry) ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(text, region ? { defaultCountry: region } : {});
  if (parsed?.isPossible()) return parsed.number.slice(1);
  const withoutPlus = phoneWithoutPlus(text);
  if (withoutPlus) return withoutPlus;
  if (parsed) {
    const digits = `${parsed.countryCallingCode}${parsed.nationalNumber}`;
    if (plausibleDigits(digits)) return digits;
  }
  // Meta's base rule when the number cannot be parsed: symbols, letters and leading zeros removed
  const digits = text.replace(/\D/g, '').replace(/^0+/, '');
  return text.startsWith('+') && plausibleDigits(digits) ? digits : null;
}
