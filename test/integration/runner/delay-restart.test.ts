import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findJourney, readCounters, transitionCanvas } from '@canvas/db';
import {
  createSeededRunnerBed,
  readMetric,
  seedLaunchedCanvas,
  startReadyRunner,
  startRunnerProcess,
  waitFor,
  waitForLog,
  type RunnerTestBed,
} from '@canvas/test-support';

describe('a durable delay', () => {
  let bed: RunnerTestBed;
  const canvasId = randomUUID();

  beforeAll(async () => {
    bed = await createSeededRunnerBed(2, [
      {
        id: canvasId,
        audience: { adAccountId: randomUUID(), metaAccountId: '1001', audienceId: '238001' },
        definition: {
          name: 'two seconds',
          entry: { trigger: { event: 'added_to_cart' } },
          firstStep: 'wait',
          steps: [
            { id: 'wait', kind: 'delay', duration: '2s', next: 'fb' },
            { id: 'fb', kind: 'facebook_audience', audience: { id: '238001' }, matchKeys: ['EMAIL'], next: null },
          ],
        },
      },
    ]);
  });

  afterAll(async () => bed.close());

  it('survives a runner killed during it, and fires exactly once after the restart', async () => {
    const { database, workspaceId } = bed;
    const env = bed.env();
    const first = await startReadyRunner(env);
    await bed.produce([
      {
        key: 'u1',
        value: JSON.stringify({ type: 'identify', messageId: 'i1', userId: 'u1', traits: { email: 'U1@example.com' } }),
      },
      {
        key: 'u1',
        value: JSON.stringify({ type: 'track', messageId: 't1', userId: 'u1', event: 'added_to_cart' }),
      },
    ]);
    await waitFor(async () => (await findJourney(database.db, workspaceId, 'u1', canvasId))?.status === 'waiting', {
      what: 'the user waiting in the delay',
    });
    const timer = await database.db.selectFrom('timers').selectAll().executeTakeFirstOrThrow();
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');

    // the delay comes due while no runner is alive
    await waitFor(() => Date.now() > timer.due_at.getTime(), { what: 'the delay to come due', intervalMs: 20 });
    const second = startRunnerProcess(env);
    await waitFor(async () => (await findJourney(database.db, workspaceId, 'u1', canvasId))?.status === 'completed', {
      what: 'the delay to fire',
    });
    const firedAt = Date.now();

    expect(await database.db.selectFrom('timers').selectAll().execute()).toEqual([]);
    const entries = await database.db.selectFrom('audience_entries').selectAll().execute();
    expect(entries.map((e) => [e.user_id, e.status, e.step_id])).toEqual([['u1', 'pending', 'fb']]);
    const counters = Object.fromEntries(
      (await readCounters(database.db, workspaceId, canvasId)).map((c) => [`${c.stepId}.${c.metric}`, c.value]),
    );
    expect(counters).toEqual({
      '$canvas.entered': 1,
      '$canvas.completed': 1,
      'wait.entered': 1,
      'wait.proceeded': 1,
      'fb.entered': 1,
      'fb.proceeded': 1,
      'fb.pending': 1,
    });
    expect(firedAt).toBeGreaterThanOrEqual(timer.due_at.getTime());

    // nothing fires twice, and a restart replays nothing
    await second.stop('SIGTERM');
    const third = await startReadyRunner(env);
    await waitForLog(third, 'consuming: joined the consumer group');
    // both partitions' lag comes from the offsets stored with the effects: at 0, there is nothing to replay
    const thirdOps = await third.opsUrl();
    await waitFor(
      async () => {
        const metrics = await (await fetch(`${thirdOps}/metrics`)).text();
        return ['0', '1'].every((p) =>
          metrics.includes(`canvas_runner_consumer_lag{topic="${bed.topic}",partition="${p}"`),
        );
      },
      { what: 'the lag of both partitions' },
    );
    expect(await readMetric(thirdOps, 'canvas_runner_consumer_lag')).toBe(0);
    expect(await readMetric(thirdOps, 'canvas_runner_events_total')).toBe(0);
    expect(await readMetric(thirdOps, 'canvas_runner_timers_fired_total')).toBe(0);
    expect(await database.db.selectFrom('audience_entries').select('id').execute()).toHaveLength(1);
    expect(await third.stop('SIGTERM')).toBe(0);
  });

  it('cancels, and counts, a journey whose canvas is archived while the user waits', async () => {
    const { database, workspaceId } = bed;
    const archivedId = randomUUID();
    await seedLaunchedCanvas(database.db, {
      id: archivedId,
      workspaceId,
      definition: {
        name: 'archived while waiting',
        entry: { trigger: { event: 'browsed' } },
        firstStep: 'wait',
        steps: [{ id: 'wait', kind: 'delay', duration: '1s', next: null }],
      },
    });
    const runner = startRunnerProcess(bed.env());
    await bed.produce([
      { key: 'u2', value: JSON.stringify({ type: 'track', messageId: 'b1', userId: 'u2', event: 'browsed' }) },
    ]);
    await waitFor(async () => (await findJourney(database.db, workspaceId, 'u2', archivedId))?.status === 'waiting', {
      what: 'the user waiting',
    });
    await transitionCanvas(database.db, workspaceId, archivedId, ['running'], 'archived', new Date());
    await waitFor(async () => (await findJourney(database.db, workspaceId, 'u2', archivedId))?.status === 'canceled', {
      what: 'the journey canceled',
    });
    expect(await database.db.selectFrom('timers').selectAll().where('canvas_id', '=', archivedId).execute()).toEqual(
      [],
    );
    const counters = Object.fromEntries(
      (await readCounters(database.db, workspaceId, archivedId)).map((c) => [`${c.stepId}.${c.metric}`, c.value]),
    );
    expect(counters).toEqual({ '$canvas.entered': 1, '$canvas.canceled': 1, 'wait.entered': 1 });
    expect(await runner.stop('SIGTERM')).toBe(0);
  });
});
