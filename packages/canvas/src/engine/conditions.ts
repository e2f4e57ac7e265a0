import type { ConditionValue, EventCondition, Operator, UserCondition } from '../model/condition.schema.js';
import { assertNever } from '../assert-never.js';
import { filterPlace, isGeographyField, profilePlace } from '../model/geography.js';
import { lookup, userField } from './profile-fields.js';
import type { Profile, UserEvent } from './types.js';

const present = (v: unknown) => v !== undefined && v !== null && v !== '';
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function number(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function sameValue(actual: unknown, expected: unknown): boolean {
  const a = number(actual);
  const e = number(expected);
  if (a !== undefined && e !== undefined) return a === e;
  return lower(actual) === lower(expected);
}

function compare(actual: unknown, expected: unknown): number | undefined {
  const a = number(actual);
  const e = number(expected);
  if (a !== undefined && e !== undefined) return a - e;
  if (typeof actual === 'string' && typeof expected === 'string') {
    const da = Date.parse(actual);
    const de = Date.parse(expected);
    if (Number.isFinite(da) && Number.isFinite(de)) return da - de;
  }
  return undefined;
}

const asList = (v: ConditionValue | undefined): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Applies an operator; a missing value fails positive tests and passes negative ones. */
export function test(op: Operator, actual: unknown, expected: ConditionValue | undefined): boolean {
  switch (op) {
    case 'exists':
      return present(actual);
    case 'not_exists':
      return !present(actual);
    case 'eq':
      return present(actual) && sameValue(actual, expected);
    case 'neq':
      return !present(actual) || !sameValue(actual, expected);
    case 'gt':
      return (compare(actual, expected) ?? Number.NaN) > 0;
    case 'gte':
      return (compare(actual, expected) ?? Number.NaN) >= 0;
    case 'lt':
      return (compare(actual, expected) ?? Number.NaN) < 0;
    case 'lte':
      return (compare(actual, expected) ?? Number.NaN) <= 0;
    case 'in':
      return present(actual) && asList(expected).some((e) => sameValue(actual, e));
    case 'not_in':
      return !present(actual) || !asList(expected).some((e) => sameValue(actual, e));
    case 'contains':
      if (Array.isArray(actual)) return actual.some((item) => sameValue(item, expected));
      return (
        typeof actual === 'string' &&
        typeof expected === 'string' &&
        actual.toLowerCase().includes(expected.toLowerCase())
      );
    case 'not_contains':
      if (Array.isArray(actual)) return !actual.some((item) => sameValue(item, expected));
      return !(
        typeof actual === 'string' &&
        typeof expected === 'string' &&
        actual.toLowerCase().includes(expected.toLowerCase())
      );
    case 'starts_with':
      return (
        typeof actual === 'string' &&
        typeof expected === 'string' &&
        actual.toLowerCase().startsWith(expected.toLowerCase())
      );
    default:
      return assertNever(op);
  }
}

/** One user condition; country, region and city compare normalised places ("USA" is country US). */
export function userConditionHolds(condition: UserCondition, profile: Profile, now: Date): boolean {
  const actual = userField(profile, condition.field, now);
  if (!isGeographyField(condition.field)) return test(condition.op, actual, condition.value);
  const place = profilePlace(condition.field, actual, userField(profile, 'country', now));
  return test(
    condition.op,
    place,
    condition.value === undefined ? undefined : filterPlace(condition.field, condition.value),
  );
}

export function userMatches(conditions: readonly UserCondition[], profile: Profile, now: Date): boolean {
  return conditions.every((c) => userConditionHolds(c, profile, now));
}

export function eventMatches(conditions: readonly EventCondition[], event: UserEvent): boolean {
  return conditions.every((c) => test(c.op, lookup(event.properties, c.property), c.value));
}
