import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

// digits with the usual separators only: no "+", no "00", no letters
const digitsOnly = /^[\d\s().-]+$/;

/**
 * A number stored with its country code but without "+" (`16505551212`, `1(650)555-1212`, as
 * many CRMs keep E.164): kept when its leading digits are a country calling code and the rest is a
 * possible number there, not starting with a trunk 0. A leading 0 is never a country code (decision 31).
 */
export function phoneWithoutPlus(text: string): string | null {
  if (!digitsOnly.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  if (digits.startsWith('0')) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  if (!parsed?.isPossible()) return null;
  // "6505551212" would read as +65 0555 1212: a 0 after the country code is a trunk prefix (Italy's is kept)
  if (parsed.nationalNumber.startsWith('0') && !parsed.isValid()) return null;
  return parsed.number.slice(1);
}
