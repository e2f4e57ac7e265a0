import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { canvasEntrants, readCounters } from '@canvas/db';
import {
  createSeededRunnerBed,
  exitCanvas,
  lastAssignment,
  startReadyRunner,
  waitFor,
  type RunnerTestBed,
} from '@canvas/test-support';

const cappedId = randomUUID();
const openId = randomUUID();

describe('two runners in one consumer group', () => {
  let bed: RunnerTestBed;

  beforeAll(async () => {
    bed = await createSeededRunnerBed(6, [
      { id: cappedId, definition: exitCanvas('first 500', 'signed_up', { targetCap: 500 }) },
      { id: openId, definition: exitCanvas('everyone', 'signed_up') },
    ]);
  });

  afterAll(async () => bed.close());

  it('share the partitions and keep every count exact, the target cap included', async () => {
    const { database, topic } = bed;
    const env = bed.env({ BATCH_MAX_MESSAGES: '50' });
    const [one, two] = await Promise.all([startReadyRunner(env), startReadyRunner(env)]);
    await waitFor(() => lastAssignment(one, topic).length === 3 && lastAssignment(two, topic).length === 3, {
      what: 'three partitions each',
      timeoutMs: 90_000,
    });
    expect([...lastAssignment(one, topic), ...lastAssignment(two, topic)].sort()).toEqual([0, 1, 2, 3, 4, 5]);

    const users = 3000;
    const messages = Array.from({ length: users }, (_, i) => ({
      key: `u${i}`,
      value: JSON.stringify({ type: 'track', messageId: `m${i}`, userId: `u${i}`, event: 'signed_up' }),
    }));
    await bed.produce(messages);

    await waitFor(
      async () =>
        Number(
          (await sql<{ n: string }>`SELECT count(*) AS n FROM processed_messages`.execute(database.db)).rows[0]?.n,
        ) === users,
      { what: 'every event', timeoutMs: 120_000 },
    );
    const applied = [
      await one.metric('canvas_runner_events_total', { outcome: 'applied' }),
      await two.metric('canvas_runner_events_total', { outcome: 'applied' }),
    ];
    expect(applied.every((n) => n > 0)).toBe(true);
    expect(applied[0]! + applied[1]!).toBe(users);
    expect(
      (await one.metric('canvas_runner_entries_capped_total')) +
        (await two.metric('canvas_runner_entries_capped_total')),
    ).toBe(users - 500);

    expect(await canvasEntrants(database.db, cappedId)).toBe(500);
    const counters = async (id: string) =>
      Object.fromEntries(
        (await readCounters(database.db, bed.workspaceId, id)).map((c) => [`${c.stepId}.${c.metric}`, c.value]),
      );
    expect(await counters(cappedId)).toEqual({ '$canvas.entered': 500, '$canvas.completed': 500, 'end.entered': 500 });
    expect(await counters(openId)).toEqual({
      '$canvas.entered': users,
      '$canvas.completed': users,
      'end.entered': users,
    });
    const journeys = await sql<{
      canvas_id: string;
      n: string;
    }>`SELECT canvas_id, count(*) AS n FROM journeys GROUP BY canvas_id`.execute(database.db);
    expect(Object.fromEntries(journeys.rows.map((r) => [r.canvas_id, Number(r.n)]))).toEqual({
      [cappedId]: 500,
      [openId]: users,
    });

    expect(await one.stop('SIGTERM')).toBe(0);
    expect(await two.stop('SIGTERM')).toBe(0);
  });
});
