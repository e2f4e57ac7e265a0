import { z } from 'zod';

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in "30s", "15m", "2h", "7d" or "1w"; undefined for anything else. */
export function durationMs(text: string): number | undefined {
  const match = /^(\d{1,6})(s|m|h|d|w)$/.exec(text);
  return match ? Number(match[1]) * (units[match[2] ?? 's'] ?? 0) : undefined;
}

/** A duration written as a whole number and a unit: "30s", "15m", "2h", "7d", "1w". */
export const Duration = z
  .string()
  .regex(/^\d{1,6}(s|m|h|d|w)$/, 'a duration such as "30s", "15m", "2h", "7d" or "1w"')
  .describe('A whole number and a unit: s, m, h, d or w.');
export type Duration = z.infer<typeof Duration>;
