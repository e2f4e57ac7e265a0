const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const pad = (n: number) => String(n).padStart(2, '0');

/** Meta: four digits from 1900 to the current year. */
export function normalizeBirthYear(raw: string, currentYear: number): string | null {
  const value = raw.trim();
  if (!/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= 1900 && year <= currentYear ? value : null;
}

/** Meta: "01" to "12". Accepts numbers and English month names. */
export function normalizeBirthMonth(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  if (/^\d{1,2}$/.test(value)) {
    const month = Number(value);
    return month >= 1 && month <= 12 ? pad(month) : null;
  }
  const index = value.length >= 3 ? monthNames.findIndex((name) => name.startsWith(value.replace(/\.$/, ''))) : -1;
  return index >= 0 ? pad(index + 1) : null;
}

/** Meta: "01" to "31". */
export function normalizeBirthDay(raw: string): string | null {
  const value = raw.trim();
  if (!/^\d{1,2}$/.test(value)) return null;
  const day = Number(value);
  return day >= 1 && day <= 31 ? pad(day) : null;
}

/** Splits a birthday written as YYYY-MM-DD (ISO 8601, optionally with a time) into its parts. */
export function splitBirthday(raw: string): { year: string; month: string; day: string } | null {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|T)/.exec(raw.trim());
  if (!match) return null;
  return { year: match[1] ?? '', month: match[2] ?? '', day: match[3] ?? '' };
}
