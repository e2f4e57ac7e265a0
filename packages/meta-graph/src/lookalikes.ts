import { GraphApiError } from './errors.js';
import { actAdAccountId } from './ids.js';
import type { GraphCall, GraphResult } from './transport.js';

/** A lookalike as Meta describes it on the audience (`lookalike_spec`), as far as this engine reads it. */
export interface LookalikeOf {
  originIds: string[];
  countries: string[];
  ratio?: number;
}

export interface NewLookalikeAudience {
  name: string;
  originAudienceId: string;
  /** ISO 3166-1 alpha-2, upper case. */
  countries: readonly string[];
  /** 0.01 to 0.20. */
  ratio: number;
  description?: string | undefined;
}

/** Meta's error for a lookalike it already has with the same source, country and size (2654/1713007). */
export const duplicateLookalike = { code: 2654, subcode: 1713007 } as const;

/**
 * The lookalike_spec Meta sends: one country in `country`, several in `location_spec.geo_locations.countries`,
 * both always as ISO 3166-1 alpha-2 codes (decision 36).
 */
export function lookalikeSpecBody(lookalike: Pick<NewLookalikeAudience, 'countries' | 'ratio'>) {
  const where =
    lookalike.countries.length === 1
      ? { country: lookalike.countries[0] }
      : { location_spec: { geo_locations: { countries: [...lookalike.countries] } } };
  return { type: 'custom_ratio', ratio: lookalike.ratio, ...where };
}

const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Reads `lookalike_spec` of an audience; undefined when it has none. */
export function readLookalikeSpec(raw: unknown): LookalikeOf | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const spec = raw as Record<string, unknown>;
  const origins = Array.isArray(spec.origin) ? (spec.origin as unknown[]) : [];
  const originIds = origins.flatMap((o) => (typeof o === 'object' && o !== null && 'id' in o ? [String(o.id)] : []));
  const location = spec.location_spec as { geo_locations?: { countries?: unknown } } | undefined;
  const countries = [
    ...texts(spec.target_countries),
    ...texts(location?.geo_locations?.countries),
    ...(typeof spec.country === 'string' ? spec.country.split(',') : []),
  ].map((c) => c.trim().toUpperCase());
  return {
    originIds,
    countries: [...new Set(countries.filter((c) => c.length > 0))].sort(),
    ...(typeof spec.ratio === 'number' ? { ratio: spec.ratio } : {}),
  };
}

/** Creating a lookalike of a custom audience: `POST act_{id}/customaudiences` with subtype LOOKALIKE. */
export function lookalikeCalls(call: GraphCall) {
  return {
    async createLookalikeAudience(
      token: string,
      adAccountId: string,
      lookalike: NewLookalikeAudience,
    ): Promise<GraphResult<{ id: string }>> {
      const result = await call<{ id?: string }>('POST', `${actAdAccountId(adAccountId)}/customaudiences`, token, {
        body: {
          name: lookalike.name,
          subtype: 'LOOKALIKE',
          origin_audience_id: lookalike.originAudienceId,
          lookalike_spec: lookalikeSpecBody(lookalike),
          ...(lookalike.description ? { description: lookalike.description } : {}),
        },
        usageAccountId: adAccountId,
      });
      if (!result.data.id) throw new GraphApiError('transient', 'lookalike created without an id in the answer');
      return { usage: result.usage, data: { id: String(result.data.id) } };
    },
  };
}
