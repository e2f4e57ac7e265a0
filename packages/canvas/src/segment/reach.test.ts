import { describe, expect, it } from '@jest/globals';
import { scaleReach } from './reach.js';

describe('scaleReach', () => {
  const found = { evaluated: 9_000, members: 7_500, matchable: 6_000, byKey: { EMAIL: 6_000, PHONE: 1_500 } };

  it('scales a 5 % sample to the workspace, with a 95 % interval around the members', () => {
    const scaled = scaleReach(found, 50_000, 1_000_000);
    expect(scaled).toMatchObject({ members: 150_000, matchable: 120_000, byKey: { EMAIL: 120_000, PHONE: 30_000 } });
    // ±1.96·√(p(1−p)/n)·N·√((N−n)/(N−1)) ≈ ±3,050 at p = 0.15
    expect(scaled.membersRange.low).toBeGreaterThan(146_500);
    expect(scaled.membersRange.low).toBeLessThan(147_500);
    expect(scaled.membersRange.high).toBeGreaterThan(152_500);
    expect(scaled.membersRange.high).toBeLessThan(153_500);
  });

  it('is exact when the sample is the whole workspace', () => {
    expect(scaleReach(found, 1_000, 1_000)).toEqual({
      members: 7_500,
      matchable: 6_000,
      byKey: found.byKey,
      membersRange: { low: 7_500, high: 7_500 },
    });
  });

  it('keeps a range above zero when the sample holds no member', () => {
    const scaled = scaleReach({ evaluated: 0, members: 0, matchable: 0, byKey: {} }, 50_000, 1_000_000);
    expect(scaled.members).toBe(0);
    expect(scaled.membersRange.low).toBe(0);
    expect(scaled.membersRange.high).toBeGreaterThan(0);
    expect(scaled.membersRange.high).toBeLessThan(200);
  });
});
