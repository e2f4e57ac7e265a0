import { describe, expect, it } from '@jest/globals';
import { targetingWithAudience } from './ad-set-link.js';

describe('targetingWithAudience', () => {
  it('adds the audience and keeps every other part of the targeting', () => {
    const targeting = {
      geo_locations: { countries: ['US'] },
      age_min: 25,
      custom_audiences: [{ id: '1', name: 'Buyers' }],
      excluded_custom_audiences: [{ id: '2' }],
    };
    expect(targetingWithAudience(targeting, { id: '3', name: 'Carts' })).toEqual({
      ...targeting,
      custom_audiences: [
        { id: '1', name: 'Buyers' },
        { id: '3', name: 'Carts' },
      ],
    });
  });

  it('leaves a targeting that already includes the audience alone', () => {
    expect(targetingWithAudience({ custom_audiences: [{ id: '3' }] }, { id: '3' })).toBeUndefined();
  });

  it('starts the list when the ad set targets no custom audience yet', () => {
    expect(targetingWithAudience({ age_max: 40 }, { id: '9' })).toEqual({
      age_max: 40,
      custom_audiences: [{ id: '9' }],
    });
  });
});
