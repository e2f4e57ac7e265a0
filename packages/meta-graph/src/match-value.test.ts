import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from './hash.js';
import type { MatchKey } from './match-keys.js';
import { matchValue, normalizeMatchValue } from './match-value.js';
import { matchRow } from './profile-match.js';

const context = { currentYear: 2026 };

describe("Meta's documented examples", () => {
  it.each([
    [
      'EMAIL',
      'John_Smith@gmail.com',
      undefined,
      'john_smith@gmail.com',
      '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
    ],
    ['PHONE', '(650)555-1212', 'US', '16505551212', 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
    ['FN', 'Mary', undefined, 'mary', '6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'],
    ['FN', 'Valéry', undefined, 'valéry', '08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c'],
    ['LN', '정', undefined, '정', '8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14'],
  ] as const)('%s %s → %s', (key, raw, country, normalized, hash) => {
    expect(matchValue(key, raw, { ...context, country })).toEqual({ normalized, value: hash });
  });

  it('turns "United States" into "us" (hash starts 79adb2a2fce5c6ba)', () => {
    expect(matchValue('COUNTRY', 'United States', context)?.value.startsWith('79adb2a2fce5c6ba')).toBe(true);
  });

  it('drops the trunk zero after the country code: (+84) 091-2345678 → 84912345678', () => {
    expect(normalizeMatchValue('PHONE', '(+84) 091-2345678', context)).toBe('84912345678');
  });
});

describe('normalization by key', () => {
  it.each<[MatchKey, string, string | undefined, string | null]>([
    ['EMAIL', '  Jane.Doe@Example.COM ', undefined, 'jane.doe@example.com'],
    ['EMAIL', 'not an email', undefined, null],
    ['EMAIL', '   ', undefined, null],
    ['PHONE', '+1 (650) 555-1212', undefined, '16505551212'],
    ['PHONE', '06 12 34 56 78', 'FR', '33612345678'],
    ['PHONE', '06 12 34 56 78', 'France', '33612345678'],
    ['PHONE', '0044 20 7946 0958', undefined, '442079460958'],
    ['PHONE', 'call me', 'US', null],
    // possible but not valid in libphonenumber's metadata: kept (decision 0011)
    ['PHONE', '(650) 000-1212', 'US', '16500001212'],
    ['PHONE', '+44 7700 900123', undefined, '447700900123'],
    ['PHONE', '+1 199 555 1212', undefined, '11995551212'],
    ['PHONE', '+1 555', undefined, null],
    ['PHONE', '', 'US', null],
    ['FN', "  O'Brien-Smith ", undefined, 'obriensmith'],
    ['FN', 'José', undefined, 'josé'],
    ['FN', 'Jose\u0301', undefined, 'josé'],
    ['FN', '123', undefined, null],
    ['FI', 'Mary', undefined, 'm'],
    ['FI', 'Élodie', undefined, 'é'],
    ['GEN', 'Female', undefined, 'f'],
    ['GEN', 'M', undefined, 'm'],
    ['GEN', 'other', undefined, null],
    ['DOBY', '1997', undefined, '1997'],
    ['DOBY', '1899', undefined, null],
    ['DOBY', '2031', undefined, null],
    ['DOBM', '2', undefined, '02'],
    ['DOBM', 'February', undefined, '02'],
    ['DOBM', '13', undefined, null],
    ['DOBD', '7', undefined, '07'],
    ['DOBD', '32', undefined, null],
    ['CT', 'San Francisco', undefined, 'sanfrancisco'],
    ['CT', 'Saint-Étienne', undefined, 'saintétienne'],
    ['ST', 'California', undefined, 'ca'],
    ['ST', 'CA', 'US', 'ca'],
    ['ST', 'New York', 'United States', 'ny'],
    ['ST', 'Île-de-France', 'FR', 'îledefrance'],
    ['ZIP', '94035-1234', 'US', '94035'],
    ['ZIP', '94035', undefined, '94035'],
    ['ZIP', 'SW1A 1AA', 'GB', 'sw1a1'],
    ['ZIP', 'M1 1AE', 'United Kingdom', 'm11'],
    ['ZIP', '75 008', 'FR', '75008'],
    ['COUNTRY', 'US', undefined, 'us'],
    ['COUNTRY', 'USA', undefined, 'us'],
    ['COUNTRY', 'Germany', undefined, 'de'],
    ['COUNTRY', 'FRA', undefined, 'fr'],
    ['COUNTRY', 'Atlantis', undefined, null],
    ['MADID', ' 6D92078A-8246-4BA4-AE5B-76104861E7DC ', undefined, '6d92078a-8246-4ba4-ae5b-76104861e7dc'],
    ['EXTERN_ID', ' user-42 ', undefined, 'user-42'],
    ['EXTERN_ID', '  ', undefined, null],
  ])('%s %j (country %s) → %j', (key, raw, country, expected) => {
    expect(normalizeMatchValue(key, raw, { ...context, country })).toBe(expected);
  });

  it('hashes everything except MADID and EXTERN_ID', () => {
    expect(matchValue('EMAIL', 'a@b.co', context)?.value).toBe(sha256Hex('a@b.co'));
    expect(matchValue('MADID', 'AB-12', context)?.value).toBe('ab-12');
    expect(matchValue('EXTERN_ID', 'u1', context)?.value).toBe('u1');
  });
});

describe('matchRow', () => {
  it('reads Segment traits into the schema order and marks rows without identifiers unusable', () => {
    const schema: MatchKey[] = ['EMAIL', 'PHONE', 'FN', 'DOBY', 'COUNTRY'];
    const row = matchRow(
      schema,
      {
        userId: 'u1',
        traits: {
          email: 'Jane@Example.com',
          phone: '06 12 34 56 78',
          firstName: 'Jane',
          birthday: '1990-04-12',
          country: 'France',
        },
      },
      2026,
    );
    expect(row.usable).toBe(true);
    expect(row.values).toEqual([
      sha256Hex('jane@example.com'),
      sha256Hex('33612345678'),
      sha256Hex('jane'),
      sha256Hex('1990'),
      sha256Hex('fr'),
    ]);

    const noKeys = matchRow(schema, { userId: 'u2', traits: { firstName: 'Ann', email: 'nope' } }, 2026);
    expect(noKeys).toEqual({ usable: false, values: ['', '', sha256Hex('ann'), '', ''] });
  });

  it('falls back to the user id for EXTERN_ID and the device id for MADID', () => {
    const row = matchRow(['EXTERN_ID', 'MADID'], { userId: 'user-7', traits: {}, advertisingId: 'AAAA-BBBB' }, 2026);
    expect(row).toEqual({ usable: true, values: ['user-7', 'aaaa-bbbb'] });
  });

  it("splits Segment's reserved name trait into FN and LN when firstName and lastName are absent", () => {
    const schema: MatchKey[] = ['EMAIL', 'FN', 'LN', 'FI'];
    expect(matchRow(schema, { userId: 'u', traits: { email: 'p@e.co', name: 'Peter Gibbons' } }, 2026).values).toEqual([
      sha256Hex('p@e.co'),
      sha256Hex('peter'),
      sha256Hex('gibbons'),
      sha256Hex('p'),
    ]);
    expect(
      matchRow(schema, { userId: 'u', traits: { email: 'p@e.co', name: 'Mary Ann  de Vries' } }, 2026).values.slice(
        1,
        3,
      ),
    ).toEqual([sha256Hex('mary'), sha256Hex('anndevries')]);
    expect(
      matchRow(schema, { userId: 'u', traits: { email: 'p@e.co', name: 'Cher' } }, 2026).values.slice(1, 3),
    ).toEqual([sha256Hex('cher'), '']);
    expect(
      matchRow(
        schema,
        { userId: 'u', traits: { email: 'p@e.co', name: 'Peter Gibbons', firstName: 'Pete' } },
        2026,
      ).values.slice(1, 3),
    ).toEqual([sha256Hex('pete'), sha256Hex('gibbons')]);
  });
});
