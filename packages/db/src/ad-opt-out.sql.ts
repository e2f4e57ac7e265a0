import { sql, type RawBuilder } from 'kysely';

const isTrue = (value: RawBuilder<unknown>) =>
  sql<boolean>`coalesce(${value} IN ('true'::jsonb, '"true"'::jsonb), false)`;
const isFalse = (value: RawBuilder<unknown>) =>
  sql<boolean>`coalesce(${value} IN ('false'::jsonb, '"false"'::jsonb), false)`;

/**
 * `adsOptedOut` (packages/canvas/src/model/ad-consent.ts) of a `user_profiles` row, in SQL, for
 * set-based statements over many users. A test holds the two to the same answers; like the
 * TypeScript, the advertising preference is the first key, in the order the row stores them,
 * that reads "advertising" in any case.
 */
export function optedOutOfAds(profile: string): RawBuilder<boolean> {
  const traits = (key: string) => sql`${sql.ref(`${profile}.traits`)}->${sql.lit(key)}`;
  const preferences = sql`${sql.ref(`${profile}.context`)}->'consent'->'categoryPreferences'`;
  const advertising = sql`(SELECT c.value
    FROM jsonb_each(CASE WHEN jsonb_typeof(${preferences}) = 'object' THEN ${preferences} ELSE '{}'::jsonb END)
      WITH ORDINALITY AS c(key, value, n)
    WHERE lower(c.key) = 'advertising' ORDER BY c.n LIMIT 1)`;
  return sql<boolean>`(${isTrue(traits('ads_opt_out'))} OR ${isTrue(traits('adsOptOut'))}
    OR ${isTrue(traits('do_not_sell'))} OR ${isTrue(traits('doNotSell'))}
    OR ${isFalse(traits('ad_personalization'))} OR ${isFalse(traits('adPersonalization'))}
    OR ${isFalse(advertising)})`;
}
