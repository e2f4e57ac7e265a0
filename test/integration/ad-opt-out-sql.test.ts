import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sql } from 'kysely';
import { adsOptedOut } from '@canvas/canvas';
import { optedOutOfAds } from '@canvas/db';
import { createTestDatabase, type TestDatabase } from '@canvas/test-support';

const signalValue = fc.constantFrom<unknown>(
  true,
  false,
  'true',
  'false',
  'TRUE',
  'False',
  1,
  0,
  null,
  'yes',
  '',
  [],
  {},
);
const signal = (names: readonly string[]) =>
  fc.dictionary(fc.constantFrom(...names), signalValue, { maxKeys: names.length });
const traits = fc
  .tuple(
    signal(['ads_opt_out', 'adsOptOut', 'do_not_sell', 'doNotSell', 'ad_personalization', 'adPersonalization']),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
  )
  .map(([signals, other]) => ({ ...other, ...signals }));
const preferences = fc.oneof(
  fc.dictionary(
    fc.constantFrom('Advertising', 'advertising', 'ADVERTISING', 'Analytics', 'adverts', 'Advertising '),
    signalValue,
    { maxKeys: 3 },
  ),
  fc.constantFrom<unknown>(null, [], 'advertising', [false], true),
);
const context = fc.oneof(
  fc.constant({}),
  preferences.map((categoryPreferences) => ({ consent: { categoryPreferences } })),
  fc.constantFrom<Record<string, unknown>>(
    { consent: null },
    { consent: 'no' },
    { consent: [] },
    { app: { name: 'x' } },
  ),
);

describe('opted out of ads, in SQL', () => {
  let database: TestDatabase;
  const workspaceId = randomUUID();
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database.drop());

  it('answers as adsOptedOut does for the profile as PostgreSQL stores it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(traits, context), { minLength: 1, maxLength: 20 }), async (profiles) => {
        await sql`DELETE FROM user_profiles`.execute(database.db);
        await database.db
          .insertInto('user_profiles')
          .values(
            profiles.map(([t, c], i) => ({
              workspace_id: workspaceId,
              user_id: `u${i}`,
              traits: JSON.stringify(t),
              context: JSON.stringify(c),
              first_seen_at: new Date(),
              last_seen_at: new Date(),
            })),
          )
          .execute();
        const rows = await sql<{
          user_id: string;
          traits: Record<string, unknown>;
          context: Record<string, unknown>;
          out: boolean;
        }>`
          SELECT p.user_id, p.traits, p.context, ${optedOutOfAds('p')} AS out
          FROM user_profiles p ORDER BY p.user_id`.execute(database.db);
        for (const row of rows.rows)
          expect([row.user_id, row.out]).toEqual([row.user_id, adsOptedOut(row.traits, row.context)]);
      }),
      { numRuns: Number(process.env.OPT_OUT_RUNS ?? 200) },
    );
  });
});
