import { describe, expect, it } from '@jest/globals';
import { defaultGraphVersion, newestServedVersion, versionLifetime } from './versions.js';

describe('the Marketing API version calendar', () => {
  it.each([
    ['v25.0', '2026-12-07T12:00:00Z', 'served', 78],
    ['v25.0', '2027-02-22T23:59:59Z', 'served', 1],
    ['v25.0', '2027-02-23T00:00:00Z', 'expired', 0],
    ['v24.0', '2026-11-10T00:00:00Z', 'expired', 0],
    ['v24.0', '2026-11-09T00:00:00Z', 'served', 1],
    ['v27.0', '2026-12-07T00:00:00Z', 'served', null],
    ['v27.0', '2026-11-03T00:00:00Z', 'unreleased', null],
    ['v23.0', '2026-12-07T00:00:00Z', 'expired', 0],
    ['v19.0', '2026-12-07T00:00:00Z', 'expired', 0],
    ['v99.0', '2026-12-07T00:00:00Z', 'unknown', null],
  ])('%s on %s is %s with %s days left', (version, now, state, daysLeft) => {
    expect(versionLifetime(version, new Date(now))).toMatchObject({ state, daysLeft });
  });

  it('defaults to the newest version the product is tested against', () => {
    expect(defaultGraphVersion).toBe('v25.0');
  });

  it.each([
    ['2026-12-07T00:00:00Z', 'v27.0'],
    ['2026-10-01T00:00:00Z', 'v26.0'],
  ])('names the newest served version on %s as %s', (now, version) => {
    expect(newestServedVersion(new Date(now))).toBe(version);
  });
});
