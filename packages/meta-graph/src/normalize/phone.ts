import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Meta: digits only, with the country code, without leading zeros. Parsed with libphonenumber
 * so national trunk prefixes go too: "(+84) 091-2345678" → "84912345678". The user's country
 * is the default region for numbers written without a country code.
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  const text = raw.trim().replace(/^00/, '+').replace(/^\(\s*\+/, '+').replace(/^\+\s*(\d+)\s*\)/, '+$1 ');
  const region = defaultCountry && /^[A-Za-z]{2}$/.test(defaultCountry) ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(text, region ? { defaultCountry: region } : {});
  if (parsed?.isPossible()) return parsed.number.slice(1);
  // Meta's base rule when the number cannot be parsed: symbols, letters and leading zeros removed
  const digits = text.replace(/\D/g, '').replace(/^0+/, '');
  return text.startsWith('+') && digits.length >= 8 && digits.length <= 15 ? digits : null;
}
