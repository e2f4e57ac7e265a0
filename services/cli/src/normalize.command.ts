import { createInterface } from 'node:readline';
import { isMatchKey, matchValue, normalizeMatchValue } from '@canvas/meta-graph';

interface NormalizeInput {
  key?: unknown;
  raw?: unknown;
  country?: unknown;
}

/** One output line for one input line: what Meta would receive for that raw value. */
export function normalizeLine(line: string, currentYear: number): Record<string, unknown> {
  let input: NormalizeInput;
  try {
    input = JSON.parse(line) as NormalizeInput;
  } catch {
    return { key: null, raw: null, normalized: null, value: null, error: 'line is not JSON' };
  }
  const key = typeof input.key === 'string' ? input.key.toUpperCase() : undefined;
  const raw = typeof input.raw === 'string' || typeof input.raw === 'number' ? String(input.raw) : undefined;
  if (!key || !isMatchKey(key))
    return { key: input.key ?? null, raw: raw ?? null, normalized: null, value: null, error: 'unknown key' };
  if (raw === undefined) return { key, raw: null, normalized: null, value: null, error: 'raw must be a string' };
  const context = { currentYear, country: typeof input.country === 'string' ? input.country : undefined };
  const normalized = normalizeMatchValue(key, raw, context);
  return { key, raw, normalized, value: normalized === null ? null : (matchValue(key, raw, context)?.value ?? null) };
}

/** `pnpm --silent cli normalize`: JSON lines in, JSON lines out. */
export async function normalizeCommand(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  now: Date,
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    output.write(`${JSON.stringify(normalizeLine(line, now.getUTCFullYear()))}\n`);
  }
}
