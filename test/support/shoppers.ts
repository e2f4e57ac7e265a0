import { sql } from 'kysely';
import type { Db } from '@canvas/db';
import { seededRandom } from '@canvas/runtime';
import type { SeededUser } from './behaviour.ts';

const dayMs = 86_400_000;
// every spelling the product must read as the United States, and others that it must not
const countries: readonly (Record<string, unknown> | undefined)[] = [
  { country: 'US' },
  { country: 'USA' },
  { country: 'United States' },
  { country: 'us ' },
  { address: { country: 'usa' } },
  { country: 'Canada' },
  { country: 'DE' },
  undefined,
];

/**
 * Shoppers with a past: carts and purchases spread over 45 days before `now`, always half a
 * day away from a whole-day boundary so a window's edge never depends on the second a test runs.
 */
export function shoppers(count: number, now: Date, seed = 7): SeededUser[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const daysAgo = () => new Date(now.getTime() - (Math.floor(random() * 45) + 0.5) * dayMs);
  return Array.from({ length: count }, (_, i) => {
    const email = random() < 0.75 ? `shopper${i}@example.com` : random() < 0.5 ? 'not-an-email' : undefined;
    const traits: Record<string, unknown> = {
      ...pick(countries),
      ...(email === undefined ? {} : { email }),
      ...(random() < 0.3 ? { phone: `+1 415 555 ${String(i % 10_000).padStart(4, '0')}` } : {}),
      ...(random() < 0.1 ? { email_subscribe: 'unsubscribed' } : {}),
    };
    const carts = Math.floor(random() * 5);
    const events = Array.from({ length: carts }, () => ({ event: 'added_to_cart', at: daysAgo() }));
    if (random() < 0.25) events.push({ event: 'purchased', at: daysAgo() });
    for (let v = Math.floor(random() * 4); v > 0; v -= 1) events.push({ event: 'viewed', at: daysAgo() });
    return { userId: `shopper-${String(i).padStart(6, '0')}`, traits, events };
  });
}

/** The segments issue's example segment, found by hand-written SQL over the raw history, not the rollup. */
export async function cartAbandonerIds(
  db: Db,
  workspaceId: string,
  now: Date,
  options: { emailOrPhone?: boolean } = {},
): Promise<string[]> {
  const since = new Date(now.getTime() - 30 * dayMs).toISOString();
  const reachable = options.emailOrPhone
    ? sql`AND (p.traits->>'email' LIKE '%@example.com' OR p.traits ? 'phone')`
    : sql``;
  const result = await sql<{ user_id: string }>`
    SELECT p.user_id FROM user_profiles p
    WHERE p.workspace_id = ${workspaceId}
      AND (SELECT count(*) FROM user_events e WHERE e.workspace_id = p.workspace_id AND e.user_id = p.user_id
           AND e.event = 'added_to_cart'
           AND e.occurred_at BETWEEN ${since}::timestamptz AND ${now.toISOString()}::timestamptz) >= 2
      AND NOT EXISTS (SELECT 1 FROM user_events e WHERE e.workspace_id = p.workspace_id AND e.user_id = p.user_id
           AND e.event = 'purchased'
           AND e.occurred_at BETWEEN ${since}::timestamptz AND ${now.toISOString()}::timestamptz)
      AND lower(trim(coalesce(p.traits->>'country', p.traits#>>'{address,country}'))) IN ('us', 'usa', 'united states')
      AND coalesce(p.traits->>'email_subscribe', '') <> 'unsubscribed'
      ${reachable}
    ORDER BY p.user_id`.execute(db);
  return result.rows.map((r) => r.user_id);
}
