import type { ConditionValue } from './condition.schema.js';
import { normalizeCity, normalizeCountry, normalizeState } from '@canvas/normalize';

/** User fields compared in the normalised forms the Facebook step's match keys use. */
export const geographyFields = ['country', 'region', 'city'] as const;
export type GeographyField = (typeof geographyFields)[number];

export const isGeographyField = (field: string): field is GeographyField =>
  (geographyFields as readonly string[]).includes(field);

const asText = (value: unknown) =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/**
 * A place as Meta's rules normalise it: ISO alpha-2 countries from codes and names ("USA",
 * "United States" → "us"), US states as codes ("California" → "ca"), cities without case,
 * spaces or punctuation. Null when the text names no such place.
 */
export function normalizePlace(field: GeographyField, value: string, country?: string): string | null {
  switch (field) {
    case 'country':
      return normalizeCountry(value);
    case 'region':
      return normalizeState(value, country);
    case 'city':
      return normalizeCity(value);
  }
}

/** A profile's value for a geography field: normalised when it can be, else as written (lowercased). */
export function profilePlace(field: GeographyField, value: unknown, rawCountry: unknown): unknown {
  const text = asText(value);
  if (text === undefined || text.trim() === '') return value;
  const countryText = asText(rawCountry);
  const country = countryText === undefined ? undefined : (normalizeCountry(countryText) ?? undefined);
  return normalizePlace(field, text, country) ?? text.toLowerCase();
}

/** A filter's expected value(s) for a geography field, normalised the same way. */
export function filterPlace(field: GeographyField, value: ConditionValue): ConditionValue {
  const one = <V extends string | number | boolean>(v: V): V | string => {
    const text = asText(v);
    return text === undefined ? v : (normalizePlace(field, text) ?? text.toLowerCase());
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}
