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

interface PathStep {
  key: string;
  parent: PathStep | undefined;
}

const pointerOf = (step: PathStep | undefined): string => {
  const parts: string[] = [];
  for (let at = step; at; at = at.parent) parts.push(escapePointer(at.key));
  return parts.length === 0 ? '' : `/${parts.reverse().join('/')}`;
};

/**
 * Finds the first string in a JSON value, keys included, that PostgreSQL cannot store. Walks
 * with a stack of its own (no recursion), so any depth is safe; the pointer is built only for a find.
 */
export function findUnstorableText(value: unknown, pointer = ''): UnstorableText | undefined {
  // a key at fault is pushed as its own item, so problems are still met in document order
  type Item = { value: unknown; path: PathStep | undefined } | { badKey: UnstorableKind; path: PathStep };
  const stack: Item[] = [{ value, path: undefined }];
  const at = (step: PathStep | undefined) => `${pointer}${pointerOf(step)}`;
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('badKey' in item) return { kind: item.badKey, pointer: at(item.path) };
    const current = item.value;
    if (typeof current === 'string') {
      const kind = unstorableKind(current);
      if (kind) return { kind, pointer: at(item.path) };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const entries: [string, unknown][] = Array.isArray(current)
      ? current.map((v, i) => [String(i), v])
      : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i]!;
      const path = { key, parent: item.path };
      const keyKind = unstorableKind(key);
      stack.push(keyKind ? { badKey: keyKind, path } : { value: child, path });
    }
  }
  return undefined;
}

/** A short explanation for a problem or a dead letter; names the field, never its value. */
export function describeUnstorable(found: UnstorableText): string {
  const what = found.kind === 'nul_character' ? 'a NUL character (\\u0000)' : 'an unpaired UTF-16 surrogate';
  return `${found.pointer || 'the value'} holds ${what}, which cannot be stored`;
}
