import type { SandboxAudience } from './audience-store.js';
import { errors, type GraphFailure } from './graph-errors.js';
import type { SandboxState } from './state.js';

type Params = Record<string, unknown>;

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const countriesOf = (spec: Record<string, unknown>): string[] => {
  const location = spec.location_spec as { geo_locations?: { countries?: unknown } } | undefined;
  const listed = location?.geo_locations?.countries;
  if (Array.isArray(listed)) return listed.filter((c): c is string => typeof c === 'string');
  return typeof spec.country === 'string' ? spec.country.split(',').map((c) => c.trim()) : [];
};

/**
 * Reads `lookalike_spec` as Meta takes it: a JSON object (or a form field holding one) with `ratio`
 * 0.01–0.20 and the countries in `country` or `location_spec.geo_locations.countries`.
 */
export function parseLookalikeSpec(raw: unknown): { countries: string[]; ratio: number } | GraphFailure {
  const spec = parseMaybeJson(raw);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    return errors.invalidParameter('The parameter lookalike_spec is required');
  const fields = spec as Record<string, unknown>;
  const ratio = typeof fields.ratio === 'string' ? Number(fields.ratio) : fields.ratio;
  if (typeof ratio !== 'number' || !(ratio >= 0.01 && ratio <= 0.2))
    return errors.invalidParameter('lookalike_spec ratio must be between 0.01 and 0.20');
  const countries = countriesOf(fields).map((c) => c.toUpperCase());
  if (countries.length === 0 || countries.some((c) => !/^[A-Z]{2}$/.test(c)))
    return errors.invalidParameter('lookalike_spec needs a country or location_spec.geo_locations.countries');
  return { countries: [...new Set(countries)].sort(), ratio };
}

const lookalikesOf = (state: SandboxState, origin: string) =>
  [...state.audiences.values()].filter((a) => !a.deleted && a.lookalike?.originAudienceId === origin);

/** `POST act_{id}/customaudiences` with subtype LOOKALIKE: Meta's source-size, duplicate and limit rules. */
export function createLookalike(
  state: SandboxState,
  accountId: string,
  params: Params,
): { status: 200; body: { id: string } } | GraphFailure {
  const originId = typeof params.origin_audience_id === 'string' ? params.origin_audience_id : undefined;
  const origin = originId === undefined ? undefined : state.audiences.get(originId);
  if (!origin || origin.deleted || origin.accountId !== accountId)
    return errors.invalidParameter('The parameter origin_audience_id must be a custom audience of this ad account');
  const spec = parseLookalikeSpec(params.lookalike_spec);
  if ('status' in spec) return spec;
  const lookalikes = [...state.audiences.values()].filter(
    (a) => a.accountId === accountId && !a.deleted && a.subtype === 'LOOKALIKE',
  );
  if (lookalikes.length >= state.settings.maxLookalikesPerAccount) return errors.lookalikeLimit();
  if (origin.members.size < state.settings.minLookalikeSourceSize) return errors.lookalikeSourceTooSmall();
  const same = lookalikesOf(state, origin.id).find(
    (a) => a.lookalike?.ratio === spec.ratio && a.lookalike.countries.join() === spec.countries.join(),
  );
  if (same) return errors.duplicateLookalike();
  const { id } = state.addAudience({
    accountId,
    name:
      typeof params.name === 'string' && params.name.trim() !== ''
        ? params.name
        : `Lookalike (${spec.countries.join(', ')}, ${Math.round(spec.ratio * 100)}%) - ${origin.name}`,
    description: typeof params.description === 'string' ? params.description : '',
    subtype: 'LOOKALIKE',
    customerFileSource: '',
    lookalike: { originAudienceId: origin.id, countries: spec.countries, ratio: spec.ratio },
  });
  return { status: 200, body: { id } };
}

/** Meta refuses to delete an audience lookalikes are made of (2656). */
export const hasLookalikes = (state: SandboxState, audience: SandboxAudience) =>
  lookalikesOf(state, audience.id).length > 0;

/**
 * The fields of an audience that concern lookalikes: of a source, its lookalikes' ids; of a lookalike,
 * its spec, and while it populates (`lookalikePopulateMs` on the sandbox clock) a count of -1 and
 * operation_status 441, as Meta shows for a lookalike being built.
 */
export function lookalikeFields(state: SandboxState, audience: SandboxAudience): Record<string, unknown> {
  const source = { lookalike_audience_ids: lookalikesOf(state, audience.id).map((a) => a.id) };
  const spec = audience.lookalike;
  if (!spec) return source;
  const populating = state.clock.now() - audience.createdAt < state.settings.lookalikePopulateMs;
  // an emulator's size: the ratio of two million people per country
  const size = populating ? -1 : Math.round(spec.ratio * 2_000_000 * spec.countries.length);
  const origin = state.audiences.get(spec.originAudienceId);
  return {
    ...source,
    approximate_count_lower_bound: size,
    approximate_count_upper_bound: size,
    delivery_status: { code: 200, description: 'This audience is ready for use.' },
    operation_status: populating
      ? { code: 441, description: 'This audience is still being populated.' }
      : { code: 200, description: 'Normal' },
    lookalike_spec: {
      type: 'custom_ratio',
      ratio: spec.ratio,
      country: spec.countries.join(','),
      target_countries: spec.countries,
      origin: [{ id: spec.originAudienceId, name: origin?.name ?? '', type: 'custom_audience' }],
    },
  };
}
