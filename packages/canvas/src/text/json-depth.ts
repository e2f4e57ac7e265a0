/** How deep an event or request body may nest; Segment's own payloads stay under ten. */
export const maxJsonDepth = 64;

const quote = 0x22;
const backslash = 0x5c;
const opens = new Set([0x5b, 0x7b]);
const closes = new Set([0x5d, 0x7d]);

/**
 * The deepest nesting of arrays and objects in JSON text, read byte by byte without parsing,
 * so a hostile document is measured before anything recursive touches it. Stops counting
 * once `limit` is passed. Brackets inside strings do not count.
 */
export function jsonDepth(text: Uint8Array | string, limit = Number.POSITIVE_INFINITY): number {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === backslash) i += 1;
      else if (byte === quote) inString = false;
    } else if (byte === quote) inString = true;
    else if (opens.has(byte)) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (closes.has(byte)) depth -= 1;
  }
  return deepest;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The JSON Pointer of the first array or object in an already parsed value that nests deeper
 * than `limit`, or undefined. Walked with a stack of its own and never past `limit`, so any
 * depth costs a short loop.
 */
export function findTooDeep(value: unknown, limit: number, root = ''): string | undefined {
  const stack: { value: unknown; pointer: string; depth: number }[] = [{ value, pointer: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= limit) return item.pointer;
    for (const [key, child] of Object.entries(item.value))
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, pointer: `${item.pointer}/${escapePointer(key)}`, depth: item.depth + 1 });
  }
  return undefined;
}
