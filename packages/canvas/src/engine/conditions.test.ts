import { describe, expect, it } from '@jest/globals';
import { at, profile } from '../fixtures.test-helpers.js';
import { test, userConditionHolds } from './conditions.js';
import { userField } from './profile-fields.js';

describe('operators', () => {
  it.each<[Parameters<typeof test>[0], unknown, Parameters<typeof test>[2], boolean]>([
    ['eq', 'US', 'us', true],
    ['eq', 5, '5', true],
    ['eq', undefined, 'x', false],
    ['neq', 'FR', 'US', true],
    ['neq', undefined, 'US', true],
    ['gt', 10, 5, true],
    ['gt', '10', 5, true],
    ['gt', 'abc', 5, false],
    ['lte', 5, 5, true],
    ['lt', '2026-01-01', '2026-06-01', true],
    ['in', 'gold', ['Silver', 'GOLD'], true],
    ['not_in', 'gold', ['silver'], true],
    ['not_in', undefined, ['x'], true],
    ['contains', 'Hello world', 'WORLD', true],
    ['contains', ['a', 'b'], 'b', true],
    ['not_contains', ['a'], 'b', true],
    ['starts_with', 'iPhone 15', 'iphone', true],
    ['exists', '', undefined, false],
    ['exists', 0, undefined, true],
    ['not_exists', null, undefined, true],
  ])('%s %j %j → %s', (op, actual, expected, result) => {
    expect(test(op, actual, expected)).toBe(result);
  });
});

describe('user fields', () => {
  const now = at('2026-11-22T00:00:00Z');
  const who = profile(
    {
      birthday: '1990-12-01',
      gender: 'Female',
      address: { city: 'Lyon', country: 'FR' },
      email: 'a@b.co',
      phone: '+33 6 12',
      plan: { tier: 'gold' },
    },
    'u1',
    { app: { version: '3.2.0' }, os: { name: 'iOS' }, device: { type: 'ios' } },
  );
  it.each([
    ['age', 35],
    ['gender', 'female'],
    ['city', 'Lyon'],
    ['country', 'FR'],
    ['region', undefined],
    ['hasEmail', true],
    ['hasPhone', false],
    ['traits.plan.tier', 'gold'],
    ['app.version', '3.2.0'],
    ['os.name', 'iOS'],
    ['device.type', 'ios'],
    ['daysSinceFirstSeen', 325],
  ])('%s', (field, expected) => {
    expect(userField(who, field, now)).toEqual(expected);
  });
});

describe('geography filters compare the normalised places the match keys use', () => {
  const now = at('2026-11-22T00:00:00Z');
  const holds = (
    traits: Record<string, unknown>,
    field: string,
    op: Parameters<typeof test>[0],
    value: string | string[],
  ) => userConditionHolds({ field, op, value }, profile(traits), now);

  it.each<[Record<string, unknown>, string, Parameters<typeof test>[0], string | string[], boolean]>([
    // countries: alpha-2, alpha-3, English names and common aliases, any case, top-level or under address
    [{ address: { country: 'USA' } }, 'country', 'eq', 'US', true],
    [{ country: 'United States' }, 'country', 'eq', 'us', true],
    [{ country: 'us' }, 'country', 'eq', 'United States of America', true],
    [{ country: ' U.S.A. ' }, 'country', 'eq', 'USA', true],
    [{ country: 'DEU' }, 'country', 'eq', 'Germany', true],
    [{ country: 'Deutschland' }, 'country', 'eq', 'DE', false],
    [{ country: 'GB' }, 'country', 'in', ['United Kingdom', 'FR'], true],
    [{ country: 'UK' }, 'country', 'eq', 'GBR', true],
    [{ country: 'FR' }, 'country', 'neq', 'France', false],
    [{ country: 'FR' }, 'country', 'not_in', ['USA', 'CAN'], true],
    [{}, 'country', 'neq', 'US', true],
    // US states by name or code, with or without the country; other regions by their letters
    [{ address: { state: 'California', country: 'USA' } }, 'region', 'eq', 'CA', true],
    [{ state: 'ca' }, 'region', 'eq', 'California', true],
    [{ state: 'New York', country: 'US' }, 'region', 'in', ['NY', 'NJ'], true],
    [{ region: 'Bavaria', country: 'DE' }, 'region', 'eq', 'bavaria', true],
    [{ state: 'Texas' }, 'region', 'eq', 'TN', false],
    // cities without case, spaces or punctuation
    [{ city: 'San Francisco' }, 'city', 'eq', 'san francisco', true],
    [{ address: { city: 'SAN-FRANCISCO' } }, 'city', 'eq', 'SanFrancisco', true],
    [{ city: 'St. Louis' }, 'city', 'eq', 'st louis', true],
    [{ city: 'Zürich' }, 'city', 'eq', 'zurich', false],
    [{ city: 'Zürich' }, 'city', 'eq', 'ZÜRICH', true],
    [{ city: 'New York' }, 'city', 'starts_with', 'new y', true],
    [{ city: 'Paris' }, 'city', 'eq', 'Lyon', false],
  ])('%j: %s %s %j → %s', (traits, field, op, value, expected) => {
    expect(holds(traits, field, op, value)).toBe(expected);
  });

  it('keeps a profile value that names no place, so exists and raw equality still work', () => {
    expect(holds({ country: 'Atlantis' }, 'country', 'eq', 'atlantis')).toBe(true);
    expect(userConditionHolds({ field: 'country', op: 'exists' }, profile({ country: 'Atlantis' }), now)).toBe(true);
  });
});
