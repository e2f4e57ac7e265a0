import { describe, expect, it } from '@jest/globals';
import { adsOptedOut } from './ad-consent.js';

describe('ad opt-out', () => {
  it.each([
    ['ads_opt_out', { ads_opt_out: true }, {}, true],
    ['adsOptOut as text', { adsOptOut: 'true' }, {}, true],
    ['do_not_sell', { do_not_sell: true }, {}, true],
    ['doNotSell', { doNotSell: true }, {}, true],
    ['ad_personalization off', { ad_personalization: false }, {}, true],
    ['adPersonalization off', { adPersonalization: 'false' }, {}, true],
    ['Segment consent: Advertising refused', {}, { consent: { categoryPreferences: { Advertising: false } } }, true],
    [
      'Segment consent: advertising, lower case',
      {},
      { consent: { categoryPreferences: { advertising: false } } },
      true,
    ],
    ['Segment consent: Advertising given', {}, { consent: { categoryPreferences: { Advertising: true } } }, false],
    ['opted back in', { ads_opt_out: false, do_not_sell: 'false' }, {}, false],
    ['nothing said', { email: 'a@b.co' }, {}, false],
    ['consent of another category', {}, { consent: { categoryPreferences: { Analytics: false } } }, false],
    ['malformed consent', {}, { consent: { categoryPreferences: 'none' } }, false],
  ])('%s', (_, traits, context, expected) => {
    expect(adsOptedOut(traits, context)).toBe(expected);
  });
});
