import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { SegmentDefinition } from '@canvas/canvas';
import { insertSegment } from '@canvas/db';
import {
  createRunnerTestBed,
  seedBehaviour,
  seedLaunchedCanvas,
  startRunnerProcess,
  waitFor,
  type RunnerTestBed,
} from '@canvas/test-support';

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
const viewed = (...hours: number[]) => hours.map((h) => ({ event: 'viewed_product', at: hoursAgo(h) }));

describe('an event-triggered canvas filtered by a segment', () => {
  let bed: RunnerTestBed;
  const canvasId = randomUUID();

  beforeAll(async () => {
    bed = await createRunnerTestBed(2);
    const db = bed.database.db;
    await seedBehaviour(db, bed.workspaceId, [
      { userId: 'twice-us', traits: { country: 'United States' }, events: viewed(30, 5) },
      { userId: 'once-us-then-live', traits: { country: 'us' }, events: viewed(20) },
      { userId: 'once-us', traits: { country: 'USA' }, events: viewed(20) },
      { userId: 'twice-de', traits: { country: 'DE' }, events: viewed(30, 5) },
      { userId: 'twice-de-moves', traits: { country: 'DE' }, events: viewed(30, 5) },
      { userId: 'twice-long-ago', traits: { country: 'US' }, events: viewed(24 * 10, 24 * 9) },
    ]);
    const segmentId = randomUUID();
    await insertSegment(db, {
      id: segmentId,
      workspaceId: bed.workspaceId,
      now: new Date(),
      definition: SegmentDefinition.parse({
        name: 'keen US shoppers',
        conditions: {
          all: [
            {
              behaviour: {
                did: true,
                event: 'viewed_product',
                count: { op: 'gte', value: 2 },
                window: { lastDays: 7 },
              },
            },
            { profile: { field: 'country', op: 'eq', value: 'US' } },
          ],
        },
      }),
    });
    await seedLaunchedCanvas(db, {
      id: canvasId,
      workspaceId: bed.workspaceId,
      definition: {
        name: 'checkout by keen US shoppers',
        entry: { trigger: { event: 'checkout_started' }, inSegment: segmentId },
        firstStep: 'end',
        steps: [{ id: 'end', kind: 'exit' }],
      },
    });
  });
  afterAll(async () => bed.close());

  it(
    'enters only members, judged on the history and profile as they stand at the ' + 'trigger, live events included',
    async () => {
      const message = (userId: string, body: Record<string, unknown>) => ({
        key: userId,
        value: JSON.stringify({ userId, messageId: randomUUID(), ...body }),
      });
      const trigger = (userId: string) => message(userId, { type: 'track', event: 'checkout_started' });
      await bed.produce([
        message('once-us-then-live', { type: 'track', event: 'viewed_product' }),
        message('twice-de-moves', { type: 'identify', traits: { country: 'US' } }),
        ...['twice-us', 'once-us-then-live', 'once-us', 'twice-de', 'twice-de-moves', 'twice-long-ago'].map(trigger),
      ]);
      const env = bed.env();
      const runner = startRunnerProcess(env);
      await waitFor(async () => (await bed.processed(env.CONSUMER_GROUP!)) === 8, { what: 'all eight events applied' });
      await runner.stop('SIGTERM');

      const entered = await sql<{ user_id: string }>`
      SELECT user_id FROM journeys WHERE canvas_id = ${canvasId} ORDER BY user_id`.execute(bed.database.db);
      expect(entered.rows.map((r) => r.user_id)).toEqual(['once-us-then-live', 'twice-de-moves', 'twice-us']);
    },
  );
});
