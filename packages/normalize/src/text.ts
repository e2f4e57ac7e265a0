/** Unicode letters and combining marks only, lowercased, in NFC: Meta keeps UTF-8 letters in names. */
export function lettersOnly(raw: string): string {
  return raw
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}]/gu, '')
    .normalize('NFC');
}

/** Lowercase and without whitespace, punctuation or symbols; letters and digits kept. */
export function lettersAndDigits(raw: string): string {
  return raw
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]/gu, '')
    .normalize('NFC');
}

export const orNull = (value: string): string | null => (value.length > 0 ? value : null);
