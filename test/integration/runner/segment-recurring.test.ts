import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { nextRunAfter, SegmentRuns } from '@canvas/canvas';
import { createRunner, runnerConfigSchema, type Runner } from '@canvas/journey-runner';
import { createLogger, createMetricsRegistry } from '@canvas/runtime';
import {
  cartAbandonerIds,
  createShopperBed,
  insertCartAbandonersSegment,
  seedLaunchedCanvas,
  waitFor,
  type RunnerTestBed,
} from '@canvas/test-support';

const dayMs = 86_400_000;
const timeZone = 'Asia/Kolkata';
const localTime = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

describe('a recurring segment run with a following audience', () => {
  let bed: RunnerTestBed;
  let runner: Runner;
  const seededAt = new Date();
  // the runner's clock: real time moved forward to the schedule's runs, counting how often it is read
  let offsetMs = 0;
  let reads = 0;
  const clock = () => {
    reads += 1;
    return new Date(Date.now() + offsetMs);
  };

  beforeAll(async () => {
    bed = await createShopperBed(4_000, seededAt, 23);
  });
  afterAll(async () => {
    await runner?.stop();
    await bed.close();
  });

  it(
    'runs at the local time each day, adds new members, and removes exactly those ' + 'who stopped qualifying',
    async () => {
      const db = bed.database.db;
      const segmentId = await insertCartAbandonersSegment(bed, seededAt);
      // daily at the local minute two minutes from now: a run's evaluation stays far from the seeds' half-day offsets
      const time = localTime(new Date(Date.now() + 120_000));
      const runs = SegmentRuns.parse({ kind: 'recurring', every: 'day', time, timeZone });
      const canvasId = randomUUID();
      await seedLaunchedCanvas(db, {
        id: canvasId,
        workspaceId: bed.workspaceId,
        definition: {
          name: 'Cart abandoners, mirrored daily',
          entry: { segment: { segmentId, runs }, reentry: { policy: 'after_cooldown', cooldown: '0s' } },
          firstStep: 'fb',
          steps: [
            {
              id: 'fb',
              kind: 'facebook_audience',
              audience: { create: { name: 'Cart_Abandoners_Daily' } },
              matchKeys: ['EXTERN_ID', 'EMAIL'],
              followSegment: true,
              next: null,
            },
          ],
        },
        audience: { adAccountId: randomUUID(), metaAccountId: '4242', audienceId: '238000000000042' },
      });
      const firstRun = nextRunAfter(runs, new Date(), new Date())!;
      const secondRun = new Date(firstRun.getTime() + dayMs);

      // no delays in this canvas: an idle timer loop leaves the clock to the segment-run loop
      const env = bed.env({ SEGMENT_RUN_POLL_INTERVAL: '100ms', TIMER_POLL_INTERVAL: '1h', LOG_LEVEL: 'silent' });
      runner = await createRunner({
        config: runnerConfigSchema.parse(env),
        db,
        logger: createLogger({ name: 'recurring-test', level: 'silent' }),
        registry: createMetricsRegistry('journey-runner'),
        now: clock,
      });
      await runner.start();
      const segmentRuns = async () =>
        (
          await sql<{ scheduled_at: Date; status: string; members: number; entered: number; removed: number }>`
          SELECT scheduled_at, status, members, entered, removed FROM segment_runs
          WHERE canvas_id = ${canvasId} ORDER BY scheduled_at`.execute(db)
        ).rows;
      const handoffs = async (action: 'add' | 'remove') =>
        (
          await sql<{ user_id: string }>`
          SELECT user_id FROM audience_entries WHERE canvas_id = ${canvasId} AND action = ${action}
          ORDER BY user_id`.execute(db)
        ).rows.map((r) => r.user_id);

      // nothing is due before the first local run time, over several polls (each reads the clock twice)
      const readsBefore = reads;
      await waitFor(() => reads >= readsBefore + 6, { what: 'several polls before the first run', intervalMs: 10 });
      expect(clock().getTime()).toBeLessThan(firstRun.getTime());
      expect(await segmentRuns()).toEqual([]);

      // day one: the clock reaches the run; every member enters and is handed to the audience
      offsetMs = firstRun.getTime() - Date.now() + 1_000;
      await waitFor(async () => (await segmentRuns())[0]?.status === 'finished', { what: 'the first run' });
      const members = await cartAbandonerIds(db, bed.workspaceId, clock());
      expect(members.length).toBeGreaterThan(200);
      expect(await segmentRuns()).toEqual([
        expect.objectContaining({
          scheduled_at: firstRun,
          members: members.length,
          entered: members.length,
          removed: 0,
        }),
      ]);
      expect(await handoffs('add')).toEqual(members);

      // some members buy, through Kafka, before the next day's run
      const buyers = members.filter((_, i) => i % 7 === 2);
      await bed.produce(
        buyers.map((userId) => ({
          key: userId,
          value: JSON.stringify({ type: 'track', userId, messageId: `${userId}-bought`, event: 'purchased' }),
        })),
      );
      await waitFor(async () => (await bed.processed(env.CONSUMER_GROUP!)) === buyers.length, {
        what: 'the purchases applied',
      });
      expect(await segmentRuns()).toHaveLength(1);

      // day two, at the same local time: the buyers, and those whose carts aged out of the 30 days,
      // leave the audience; those whose purchase aged out join it; nobody who stayed enters twice
      offsetMs = secondRun.getTime() - Date.now() + 1_000;
      await waitFor(async () => (await segmentRuns())[1]?.status === 'finished', { what: 'the second run' });
      const nextMembers = await cartAbandonerIds(db, bed.workspaceId, clock());
      const left = members.filter((u) => !nextMembers.includes(u));
      const joined = nextMembers.filter((u) => !members.includes(u));
      expect(buyers.every((u) => left.includes(u))).toBe(true);
      expect(left.length).toBeGreaterThan(buyers.length);
      expect(joined.length).toBeGreaterThan(0);
      const second = (await segmentRuns())[1]!;
      expect(second).toEqual(
        expect.objectContaining({
          scheduled_at: secondRun,
          members: nextMembers.length,
          entered: joined.length,
          removed: left.length,
        }),
      );
      expect(localTime(second.scheduled_at)).toBe(time);
      expect(await handoffs('remove')).toEqual(left);
      expect(await handoffs('add')).toEqual([...members, ...joined].sort());

      const counters = await sql<{ metric: string; total: string }>`
      SELECT metric, sum(value)::text AS total FROM step_counters
      WHERE canvas_id = ${canvasId} AND step_id = 'fb' GROUP BY metric ORDER BY metric`.execute(db);
      expect(counters.rows).toEqual(
        expect.arrayContaining([
          { metric: 'entered', total: String(members.length + joined.length) },
          { metric: 'removed', total: String(left.length) },
        ]),
      );
    },
  );
});
