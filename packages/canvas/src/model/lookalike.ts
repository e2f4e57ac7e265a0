import { z } from 'zod';
import { normalizeCountry } from '@canvas/normalize';

/** Meta's lookalike sizes: 1 % to 20 % of a country's people, in steps of one percent (decision 36). */
export const lookalikeRatio = { min: 0.01, max: 0.2 } as const;
/** How many countries one lookalike may name (a limit of ours; Meta's own is not documented). */
export const maxLookalikeCountries = 25;

/** A ratio as whole percent (0.05 → 5), or null when it is not one of Meta's sizes. */
export function ratioPercent(ratio: number): number | null {
  if (!Number.isFinite(ratio)) return null;
  const percent = Math.round(ratio * 100);
  const onStep = Math.abs(ratio * 100 - percent) < 1e-9;
  return onStep && percent >= 1 && percent <= 20 ? percent : null;
}

/** An ISO 3166-1 alpha-2 code in Meta's spelling ("US"), or null for anything else ("UK", "USA", "us "). */
export function lookalikeCountry(code: string): string | null {
  if (!/^[A-Za-z]{2}$/.test(code)) return null;
  return normalizeCountry(code) === code.toLowerCase() ? code.toUpperCase() : null;
}

export const LookalikeRequest = z
  .object({
    countries: z
      .array(z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as "US"'))
      .min(1)
      .max(maxLookalikeCountries)
      .describe('Where Meta looks for people like the audience: ISO 3166-1 alpha-2 codes'),
    ratio: z
      .number()
      .min(lookalikeRatio.min)
      .max(lookalikeRatio.max)
      .describe(
        "The lookalike's size as a share of each country's people: " +
          '0.01 (1 %, the closest match) to 0.20, in steps of 0.01',
      ),
  })
  .strict()
  .describe(
    "Asks Meta for a lookalike of the step's audience, created once the audience has at least 100 people " +
      '(Meta\'s minimum); shown under the canvas\'s "lookalikes"',
  )
  .meta({ examples: [{ countries: ['US', 'CA'], ratio: 0.01 }] });
export type LookalikeRequest = z.infer<typeof LookalikeRequest>;

/** A lookalike request in one spelling: countries upper-case, sorted and unique; the ratio in whole percent. */
export interface LookalikeSpec {
  countries: string[];
  ratioPercent: number;
}

/** The canonical spec of a valid request (validation has checked it), or null when it is not one. */
export function lookalikeSpec(request: LookalikeRequest): LookalikeSpec | null {
  const percent = ratioPercent(request.ratio);
  const countries = request.countries.map(lookalikeCountry);
  if (percent === null || countries.some((c) => c === null)) return null;
  return { countries: [...new Set(countries as string[])].sort(), ratioPercent: percent };
}

/** The trait a value-based audience reads each user's value from: a name or a dotted path. */
export const ValueTrait = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'a trait name or path such as "lifetime_value" or "ltv.total"')
  .describe(
    "A numeric user trait sent as each user's LOOKALIKE_VALUE: the audience is value-based " +
      '(is_value_based). Users without a usable value (a number ≥ 0) are Not synced NO_LOOKALIKE_VALUE',
  )
  .meta({ examples: ['lifetime_value'] });
