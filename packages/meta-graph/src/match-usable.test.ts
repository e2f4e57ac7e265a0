import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { matchKeys, type MatchKey } from './match-keys.js';
import { hasUsableIdentifier } from './match-usable.js';
import { matchRow } from './profile-match.js';

const text = fc.oneof(
  fc.constantFrom('', ' ', 'jane@example.com', 'not an email', '+1 650 555 1212', '0612345678', '16505551212'),
  fc.constantFrom('38400000-8cf0-11bd-b23e-10b96e40000d', 'ext-42', 'US', 'France', 'Lyon', '1990-04-12'),
  fc.string({ maxLength: 12 }),
);

describe('hasUsableIdentifier', () => {
  it('says what matchRow says of usability, for any schema and traits (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray([...matchKeys] as MatchKey[], { minLength: 1 }),
        fc.record(
          {
            email: text,
            phone: text,
            madid: text,
            externalId: text,
            country: text,
            firstName: text,
            birthday: text,
          },
          { requiredKeys: [] },
        ),
        fc.option(text, { nil: undefined }),
        fc.constantFrom('user-1', ' '),
        (schema, traits, advertisingId, userId) => {
          const source = { userId, traits, advertisingId };
          expect(hasUsableIdentifier(schema, source, 2026)).toBe(matchRow(schema, source, 2026).usable);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
