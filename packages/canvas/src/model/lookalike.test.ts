import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { abandonedCart } from '../fixtures.test-helpers.js';
import { validateCanvas } from '../validate/validate-canvas.js';
import { lookalikeCountry, lookalikeSpec, ratioPercent } from './lookalike.js';

const codes = (input: unknown) => {
  const result = validateCanvas(input);
  return result.ok ? [] : result.problems.map((p) => [p.code, p.path]);
};

/** The abandoned cart with its Facebook step changed. */
const withStep = (step: Record<string, unknown>) => {
  const canvas = abandonedCart();
  return { ...canvas, steps: [canvas.steps[0], { ...canvas.steps[1], ...step }] };
};

describe("Meta's lookalike sizes and countries", () => {
  it.each([
    [0.01, 1],
    [0.05, 5],
    [0.07, 7],
    [0.2, 20],
    [0.015, null],
    [0.21, null],
    [0, null],
    [-0.05, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ])('ratio %d is %p percent', (ratio, percent) => {
    expect(ratioPercent(ratio)).toBe(percent);
  });

  it('takes every whole percent from 1 to 20, and nothing between them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (percent) => {
        expect(ratioPercent(percent / 100)).toBe(percent);
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (ratio) => {
        const percent = ratioPercent(ratio);
        if (percent !== null) expect(Math.abs(ratio - percent / 100)).toBeLessThan(1e-9);
      }),
    );
  });

  it.each([
    ['US', 'US'],
    ['us', 'US'],
    ['De', 'DE'],
    ['UK', null],
    ['USA', null],
    ['XX', null],
    ['U1', null],
    ['', null],
  ])('country %p is %p', (code, country) => {
    expect(lookalikeCountry(code)).toBe(country);
  });

  it('spells a request one way, whatever the order and case of its countries', () => {
    const codes = fc.constantFrom('US', 'CA', 'DE', 'FR', 'GB', 'JP', 'BR');
    fc.assert(
      fc.property(fc.uniqueArray(codes, { minLength: 1 }), fc.integer({ min: 1, max: 20 }), (countries, percent) => {
        const canonical = lookalikeSpec({ countries, ratio: percent / 100 });
        const shuffled = [...countries].reverse().map((c, i) => (i % 2 ? c.toLowerCase() : c));
        expect(lookalikeSpec({ countries: shuffled, ratio: percent / 100 })).toEqual(canonical);
        expect(canonical).toEqual({ countries: [...countries].sort(), ratioPercent: percent });
      }),
    );
  });

  it('lets validation pass exactly the requests that have a canonical spec', () => {
    const code = fc.oneof(fc.constantFrom('US', 'ca', 'UK', 'XX', 'de'), fc.string({ minLength: 2, maxLength: 2 }));
    fc.assert(
      fc.property(
        fc.array(code, { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        (countries, ratio) => {
          const problems = codes(withStep({ lookalike: { countries, ratio } }));
          const spec = lookalikeSpec({ countries, ratio });
          const unique = spec !== null && spec.countries.length === countries.length;
          expect(problems.length === 0).toBe(unique);
        },
      ),
    );
  });
});

describe('validation of value-based audiences and lookalikes', () => {
  it('accepts a step that creates a value-based audience and asks for its lookalike', () => {
    const step = {
      audience: { create: { name: 'High value', valueTrait: 'lifetime_value' } },
      lookalike: { countries: ['US', 'CA'], ratio: 0.01 },
    };
    expect(codes(withStep(step))).toEqual([]);
    expect(codes(withStep({ audience: { id: '23800000001', valueTrait: 'ltv.total' } }))).toEqual([]);
  });

  it.each([
    [
      'a value-based audience created by a removal',
      { action: 'remove', audience: { create: { name: 'X', valueTrait: 'ltv' } } },
      [['value_based', '/steps/1/audience/create/valueTrait']],
    ],
    [
      'a lookalike of a removal',
      { action: 'remove', lookalike: { countries: ['US'], ratio: 0.01 } },
      [['lookalike', '/steps/1/lookalike']],
    ],
    [
      'a size between steps',
      { lookalike: { countries: ['US'], ratio: 0.015 } },
      [['lookalike', '/steps/1/lookalike/ratio']],
    ],
    ['a size too large', { lookalike: { countries: ['US'], ratio: 0.5 } }, [['too_many', '/steps/1/lookalike/ratio']]],
    [
      'a country that is no ISO code',
      { lookalike: { countries: ['US', 'UK'], ratio: 0.02 } },
      [['lookalike', '/steps/1/lookalike/countries/1']],
    ],
    [
      'a country twice',
      { lookalike: { countries: ['us', 'US'], ratio: 0.02 } },
      [['lookalike', '/steps/1/lookalike/countries/1']],
    ],
    ['no country', { lookalike: { countries: [], ratio: 0.02 } }, [['too_short', '/steps/1/lookalike/countries']]],
    [
      'a value trait that is no trait name',
      { audience: { create: { name: 'X', valueTrait: 'life time' } } },
      [['invalid_value', '/steps/1/audience/create/valueTrait']],
    ],
  ])('refuses %s', (_what, step, expected) => {
    expect(codes(withStep(step))).toEqual(expected);
  });
});
