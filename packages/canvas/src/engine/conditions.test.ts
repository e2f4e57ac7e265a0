import { describe, expect, it } from '@jest/globals';
import { at, profile } from '../fixtures.test-helpers.js';
import { test } from './conditions.js';
import { userField } from './profile-fields.js';

describe('operators', () => {
  it.each<[Parameters<typeof test>[0], unknown, Parameters<typeof test>[2], boolean]>([
    ['eq', 'US', 'us', true], ['eq', 5, '5', true], ['eq', undefined, 'x', false],
    ['neq', 'FR', 'US', true], ['neq', undefined, 'US', true],
    ['gt', 10, 5, true], ['gt', '10', 5, true], ['gt', 'abc', 5, false], ['lte', 5, 5, true],
    ['lt', '2026-01-01', '2026-06-01', true],
    ['in', 'gold', ['Silver', 'GOLD'], true], ['not_in', 'gold', ['silver'], true], ['not_in', undefined, ['x'], true],
    ['contains', 'Hello world', 'WORLD', true], ['contains', ['a', 'b'], 'b', true], ['not_contains', ['a'], 'b', true],
    ['starts_with', 'iPhone 15', 'iphone', true],
    ['exists', '', undefined, false], ['exists', 0, undefined, true], ['not_exists', null, undefined, true],
  ])('%s %j %j → %s', (op, actual, expected, result) => {
    expect(test(op, actual, expected)).toBe(result);
  });
});

describe('user fields', () => {
  const now = at('2026-11-22T00:00:00Z');
  const who = profile(
    { birthday: '1990-12-01', gender: 'Female', address: { city: 'Lyon', country: 'FR' }, email: 'a@b.co', phone: '+33 6 12', plan: { tier: 'gold' } },
    'u1',
    { app: { version: '3.2.0' }, os: { name: 'iOS' }, device: { type: 'ios' } },
  );
  it.each([
    ['age', 35], ['gender', 'female'], ['city', 'Lyon'], ['country', 'FR'], ['region', undefined], ['hasEmail', true],
    ['hasPhone', false], ['traits.plan.tier', 'gold'], ['app.version', '3.2.0'], ['os.name', 'iOS'], ['device.type', 'ios'], ['daysSinceFirstSeen', 325],
  ])('%s', (field, expected) => {
    expect(userField(who, field, now)).toEqual(expected);
  });
});
