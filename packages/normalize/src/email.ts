import { orNull } from './text.js';

const shape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Meta: trim leading and trailing whitespace, lowercase. Anything that is not an address is unusable. */
export function normalizeEmail(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  return shape.test(value) ? orNull(value) : null;
}
