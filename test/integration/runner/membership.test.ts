import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createRunnerTestBed,
  readMetric,
  startRunnerProcess,
  waitFor,
  waitForLog,
  type RunnerTestBed,
} from '@canvas/test-support';

const readiness = async (opsUrl: string) => {
  const response = await fetch(`${opsUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
};

describe('consumer-group membership', () => {
  let bed: RunnerTestBed;
  beforeAll(async () => {
    bed = await createRunnerTestBed(4);
  });
  afterAll(async () => bed.close());

  it(
    'is ready only as a group member, shows lag for idle partitions from the start, ' +
      'and hands its partitions over when stopped',
    async () => {
      const env = bed.env();
      const event = (i: number) => ({
        key: `u${i}`,
        value: JSON.stringify({ type: 'track', messageId: `m${i}`, userId: `u${i}`, event: 'viewed' }),
      });
      // three messages waiting before any runner exists: the lag must show them before a batch runs
      await bed.produce([event(1), event(2), event(3)].map((m) => ({ ...m, partition: 0 })));

      const first = startRunnerProcess({ ...env, BATCH_MAX_MESSAGES: '1' });
      const firstOps = await first.opsUrl();
      await waitForLog(first, 'consuming: joined the consumer group');
      await waitFor(async () => (await readiness(firstOps)).status === 200, { what: 'the first runner ready' });
      expect((await readiness(firstOps)).body.checks['consumer-group']).toBe('ok');
      expect(await readMetric(firstOps, 'canvas_runner_group_member')).toBe(1);
      expect(await readMetric(firstOps, 'canvas_runner_assigned_partitions')).toBe(4);
      await waitFor(
        async () => (await readMetric(firstOps, 'canvas_runner_events_total', { outcome: 'applied' })) === 3,
        { what: 'the waiting events' },
      );
      // every assigned partition has a lag series, idle ones at 0
      for (const partition of ['0', '1', '2', '3']) {
        await waitFor(
          async () =>
            (await (await fetch(`${firstOps}/metrics`)).text()).includes(
              `canvas_runner_consumer_lag{topic="${bed.topic}",partition="${partition}"`,
            ),
          { what: `lag of partition ${partition}` },
        );
      }
      expect(await readMetric(firstOps, 'canvas_runner_consumer_lag')).toBe(0);
      // every status series exists before the first such event
      expect(await readMetric(firstOps, 'canvas_runner_dead_letters_total', { reason: 'invalid_json' })).toBe(0);

      // a stopped runner leaves the group: its successor gets every partition and consumes
      expect(await first.stop('SIGTERM')).toBe(0);
      expect(first.output()).toContain('"msg":"not consuming: left the consumer group or rebalancing"');
      const second = startRunnerProcess(env);
      const secondOps = await second.opsUrl();
      await waitForLog(second, 'consuming: joined the consumer group');
      expect(await readMetric(secondOps, 'canvas_runner_assigned_partitions')).toBe(4);
      await bed.produce([event(4)]);
      await waitFor(
        async () => (await readMetric(secondOps, 'canvas_runner_events_total', { outcome: 'applied' })) === 1,
        { what: 'a new event on the successor' },
      );
      expect(await second.stop('SIGTERM')).toBe(0);
    },
  );
});
