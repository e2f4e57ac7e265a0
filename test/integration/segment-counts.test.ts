import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { occurrences, rollupCountable, segmentMatches, SegmentDefinition, type SegmentCondition } from '@canvas/canvas';
import { loadHistories, rollupCounts, scanCounted } from '@canvas/db';
import { createTestDatabase, seedBehaviour, seedWorkspace, type TestDatabase } from '@canvas/test-support';

const workspaceId = '5d0c1b7e-2a44-4f0e-9d1b-6f3f1c2e8a90';
const hour = 3_600_000;
const day = 24 * hour;
// yesterday noon: every window edge lies mid-day, and the day after it is still kept
const now = new Date(Math.floor(Date.now() / day) * day - 12 * hour);
const from = now.getTime() - 3 * day;
const at = (ms: number) => new Date(ms);

/** Users whose events sit on, just inside and just outside the edges of a three-day window. */
const users = [
  // the first day straddles the window's start; the last day straddles its end (an event after now)
  { userId: 'a', times: [from - hour, from, from + hour, now.getTime() - day, now.getTime(), now.getTime() + hour] },
  { userId: 'b', times: [from + day, from + day + 1, now.getTime() - day] },
  { userId: 'c', times: [from - 1, from - hour] },
  { userId: 'd', times: [from - 1, from, now.getTime() + 1] },
  { userId: 'e', times: [] },
  { userId: 'f', times: [from - 2 * day, from - day] },
].map((u) => ({
  userId: u.userId,
  traits: { email: `${u.userId}@example.com` },
  events: u.times.map((t) => ({ event: 'added_to_cart', at: at(t) })),
}));

const condition = (conditions: unknown): SegmentCondition =>
  SegmentDefinition.parse({ name: 's', conditions }).conditions;
const segments = [
  condition({
    behaviour: { did: true, event: 'added_to_cart', count: { op: 'gte', value: 2 }, window: { lastDays: 3 } },
  }),
  condition({
    all: [
      { behaviour: { did: true, event: 'added_to_cart', window: { lastDays: 3 } } },
      { behaviour: { did: false, event: 'added_to_cart', count: { op: 'gte', value: 3 }, window: { lastDays: 5 } } },
    ],
  }),
  condition({
    any: [
      { behaviour: { did: true, event: 'added_to_cart', count: { op: 'eq', value: 1 }, window: { lastDays: 3 } } },
      { behaviour: { did: false, event: 'added_to_cart', window: { ever: true } } },
    ],
  }),
  condition({
    behaviour: {
      did: true,
      event: 'added_to_cart',
      count: { op: 'lte', value: 2 },
      window: { from: at(from).toISOString(), to: now.toISOString() },
    },
  }),
];

describe('behaviour counted from the daily rollup', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedWorkspace(database.db, workspaceId);
    await seedBehaviour(database.db, workspaceId, users);
  });
  afterAll(async () => database.drop());

  it.each(segments.map((s, i) => [i, s] as const))(
    'counts exactly what the evaluator counts in the history, edge days included (segment %i)',
    async (_, segment) => {
      const counted = rollupCountable(segment, now)!;
      const ids = users.map((u) => u.userId);
      const history = await loadHistories(database.db, workspaceId, ids, { events: ['added_to_cart'], since: null });
      const expected = new Map(
        ids.map((id) => [id, counted.map((c) => occurrences(c.condition, history.get(id) ?? [], now))]),
      );
      const byIds = await rollupCounts(database.db, workspaceId, ids, counted);
      const byRange = await rollupCounts(database.db, workspaceId, ids, counted, [
        { from: 'a', to: 'b' },
        { from: 'c', to: 'f' },
      ]);
      for (const id of ids) {
        const zeros = counted.map(() => 0);
        expect([id, byIds.get(id) ?? zeros]).toEqual([id, expected.get(id)]);
        expect([id, byRange.get(id) ?? zeros]).toEqual([id, expected.get(id)]);
      }

      // the whole-workspace scan narrows by the counts, and the evaluator decides as on the history
      const members = await database.db.transaction().execute(async (tx) => {
        const found: string[] = [];
        for await (const page of scanCounted(tx, workspaceId, segment, counted, 2))
          for (const m of page) if (segmentMatches(segment, m, now)) found.push(m.profile.userId);
        return found.sort();
      });
      const fromHistory = users
        .filter((u) =>
          segmentMatches(
            segment,
            {
              profile: { userId: u.userId, traits: u.traits, context: {}, firstSeenAt: now },
              history: history.get(u.userId) ?? [],
            },
            now,
          ),
        )
        .map((u) => u.userId);
      expect(members).toEqual(fromHistory);
    },
  );
});
