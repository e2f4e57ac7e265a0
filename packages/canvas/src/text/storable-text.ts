/** Why PostgreSQL could never store a string: text and jsonb hold no NUL and only well-formed UTF-16. */
export type UnstorableKind = 'nul_character' | 'unpaired_surrogate';

export interface UnstorableText {
  kind: UnstorableKind;
  /** JSON Pointer of the first string (value or key) at fault, e.g. `/properties/note`. */
  pointer: string;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const escapePointer = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

/** What is wrong with one string, if anything. */
export function unstorableKind(text: string): UnstorableKind | undefined {
  if (text.includes('\u0000')) return 'nul_character';
  if (loneSurrogate.test(text)) return 'unpaired_surrogate';
  return undefined;
}

/** Finds the first string in a JSON value, keys included, that PostgreSQL cannot store. */
export function findUnstorableText(value: unknown, pointer = ''): UnstorableText | undefined {
  if (typeof value === 'string') {
    const kind = unstorableKind(value);
    return kind ? { kind, pointer } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  for (const [key, child] of entries) {
    const at = `${pointer}/${escapePointer(key)}`;
    const keyKind = unstorableKind(key);
    if (keyKind) return { kind: keyKind, pointer: at };
    const found = findUnstorableText(child, at);
    if (found) return found;
  }
  return undefined;
}

/** A short explanation for a problem or a dead letter; names the field, never its value. */
export function describeUnstorable(found: UnstorableText): string {
  const what = found.kind === 'nul_character' ? 'a NUL character (\\u0000)' : 'an unpaired UTF-16 surrogate';
  return `${found.pointer || 'the value'} holds ${what}, which cannot be stored`;
}
