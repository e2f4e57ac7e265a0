const male = new Set(['m', 'male', 'man', 'boy']);
const female = new Set(['f', 'female', 'woman', 'girl']);

/** Meta accepts only "m" or "f". */
export function normalizeGender(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  if (male.has(value)) return 'm';
  if (female.has(value)) return 'f';
  return null;
}
