import { describe, expect, it } from '@jest/globals';
import { versionRefusal } from './version-gate.js';

describe("the sandbox's version gate", () => {
  it.each([
    ['v25.0', 'v0.0', '2026-12-07T00:00:00Z', undefined],
    ['v27.0', 'v0.0', '2026-12-07T00:00:00Z', undefined],
    ['v24.0', 'v0.0', '2026-11-09T00:00:00Z', undefined],
    ['v24.0', 'v0.0', '2026-11-10T00:00:00Z', 2635],
    ['v27.0', 'v0.0', '2026-11-01T00:00:00Z', 2635],
    ['v25.0', 'v26.0', '2026-12-07T00:00:00Z', 2635],
    ['latest', 'v0.0', '2026-12-07T00:00:00Z', 2500],
  ])('answers %s (floor %s) on %s with %s', (version, floor, now, code) => {
    expect(versionRefusal(version, floor, new Date(now))?.body.error.code).toBe(code);
  });
});
