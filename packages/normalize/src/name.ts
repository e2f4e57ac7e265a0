import { lettersOnly, orNull } from './text.js';

/** Meta's documented rule for FN and LN: lowercase, no punctuation, UTF-8 letters kept ("Valéry" → "valéry"). */
export function normalizeName(raw: string): string | null {
  return orNull(lettersOnly(raw));
}

/** The first letter of the first name. */
export function normalizeFirstInitial(raw: string): string | null {
  const name = lettersOnly(raw);
  const first = [...name][0];
  return first ?? null;
}
