import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { maintainHistoryPartitions, recordHistory, type HistoryEvent } from '@canvas/db';
import { createTestDatabase, type TestDatabase } from '@canvas/test-support';

const workspaceId = '3f1b6a2e-8f8e-4c1e-9a43-3b8f0e6d1c2a';
const at = (iso: string) => new Date(iso);
const event = (userId: string, name: string, iso: string, messageId: string): HistoryEvent => ({
  workspaceId,
  userId,
  event: name,
  occurredAt: at(iso),
  messageId,
  properties: { total: 30 },
});

describe('behaviour history storage', () => {
  let database: TestDatabase;
  const partitions = async () =>
    (
      await sql<{ name: string }>`
        SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'user_events'::regclass ORDER BY 1`.execute(database.db)
    ).rows.map((r) => r.name);

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database.drop());

  it(
    'keeps daily partitions for the retention and days ahead, records events with a ' +
      'daily rollup, and drops whole old days',
    async () => {
      expect(await maintainHistoryPartitions(database.db, at('2026-03-10T12:00:00Z'), 3, 2)).toEqual({
        created: 12,
        dropped: 0,
      });
      expect(await partitions()).toEqual(['07', '08', '09', '10', '11', '12'].map((d) => `user_events_202603${d}`));
      // idempotent
      expect(await maintainHistoryPartitions(database.db, at('2026-03-10T13:00:00Z'), 3, 2)).toEqual({
        created: 0,
        dropped: 0,
      });

      await database.db
        .transaction()
        .execute((tx) =>
          recordHistory(tx, [
            event('u1', 'added_to_cart', '2026-03-08T09:00:00Z', 'm1'),
            event('u1', 'added_to_cart', '2026-03-08T17:00:00Z', 'm2'),
            event('u1', 'added_to_cart', '2026-03-10T08:00:00Z', 'm3'),
            event('u2', 'purchased', '2026-03-09T08:00:00Z', 'm4'),
          ]),
        );
      await database.db
        .transaction()
        .execute((tx) => recordHistory(tx, [event('u1', 'added_to_cart', '2026-03-08T20:00:00Z', 'm5')]));
      const days = await sql<{
        user_id: string;
        event: string;
        day: string;
        occurrences: number;
        first_at: Date;
        last_at: Date;
      }>`
      SELECT user_id, event, day::text, occurrences, first_at, last_at FROM user_event_days ORDER BY 1, 2, 3`.execute(
        database.db,
      );
      expect(days.rows).toEqual([
        {
          user_id: 'u1',
          event: 'added_to_cart',
          day: '2026-03-08',
          occurrences: 3,
          first_at: at('2026-03-08T09:00:00Z'),
          last_at: at('2026-03-08T20:00:00Z'),
        },
        {
          user_id: 'u1',
          event: 'added_to_cart',
          day: '2026-03-10',
          occurrences: 1,
          first_at: at('2026-03-10T08:00:00Z'),
          last_at: at('2026-03-10T08:00:00Z'),
        },
        {
          user_id: 'u2',
          event: 'purchased',
          day: '2026-03-09',
          occurrences: 1,
          first_at: at('2026-03-09T08:00:00Z'),
          last_at: at('2026-03-09T08:00:00Z'),
        },
      ]);
      const stored = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM user_events WHERE properties->>'total' = '30'`.execute(database.db);
      expect(stored.rows[0]?.n).toBe(5);

      // two days later: the 7th and 8th fall out of a 3-day retention, with their rows and rollups
      expect(await maintainHistoryPartitions(database.db, at('2026-03-12T01:00:00Z'), 3, 2)).toEqual({
        created: 4,
        dropped: 4,
      });
      expect(await partitions()).toEqual(['09', '10', '11', '12', '13', '14'].map((d) => `user_events_202603${d}`));
      const left = await sql<{ n: number; days: number }>`
      SELECT (SELECT count(*)::int FROM user_events) AS n, (SELECT count(*)::int FROM user_event_days) AS days`.execute(
        database.db,
      );
      expect(left.rows[0]).toEqual({ n: 2, days: 2 });
    },
  );
});
