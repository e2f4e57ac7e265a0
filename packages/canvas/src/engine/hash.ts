/** FNV-1a, 32 bits: a stable, well-spread bucket for a string, the same on every run. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A number in 0..99 for the text, for percentage splits. */
export function percentile(text: string): number {
  return stableHash(text) % 100;
}
