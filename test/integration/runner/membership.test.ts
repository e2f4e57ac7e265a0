import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProducer, type Admin } from '@canvas/kafka';
import {
  createTestDatabase,
  createTestTopic,
  readMetric,
  seedWorkspace,
  startRunnerProcess,
  stopAllProcesses,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
  waitForLog,
  type TestDatabase,
} from '@canvas/test-support';

const workspaceId = randomUUID();

const readiness = async (opsUrl: string) => {
  const response = await fetch(`${opsUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
};

describe('consumer-group membership', () => {
  let database: TestDatabase;
  let topic: string;
  let admin: Admin;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ topic, admin } = await createTestTopic('events', 4));
    await admin.ensureTopic(`${topic}.dlq`, 1);
    await seedWorkspace(database.db, workspaceId);
  });

  afterAll(async () => {
    await stopAllProcesses();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.deleteTopic(`${topic}.dlq`).catch(() => undefined);
    await admin.disconnect();
    await database.drop();
  });

  it('is ready only as a group member, shows lag for idle partitions from the start, and hands its partitions over when stopped', async () => {
    const group = uniqueName('runner');
    const env = {
      KAFKA_BROKERS: testBrokers().join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dlq`,
      CONSUMER_GROUP: group,
      DATABASE_URL: database.url,
    };
    const producer = await createProducer(testKafka());
    const event = (i: number) => ({
      key: `u${i}`,
      value: JSON.stringify({ type: 'track', messageId: `m${i}`, userId: `u${i}`, event: 'viewed' }),
      headers: { 'workspace-id': workspaceId },
    });
    // three messages waiting before any runner exists: the lag must show them before a batch runs
    await producer.send(
      topic,
      [event(1), event(2), event(3)].map((m) => ({ ...m, partition: 0 })),
    );

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
            `canvas_runner_consumer_lag{topic="${topic}",partition="${partition}"`,
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
    await producer.send(topic, [event(4)]);
    await producer.disconnect();
    await waitFor(
      async () => (await readMetric(secondOps, 'canvas_runner_events_total', { outcome: 'applied' })) === 1,
      { what: 'a new event on the successor' },
    );
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});
