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

/** The nesting depth of an already parsed value, walked with a stack of its own. */
export function valueDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const here = depth + 1;
    if (here > deepest) {
      deepest = here;
      if (deepest > limit) return deepest;
    }
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, here]);
  }
  return deepest;
}
