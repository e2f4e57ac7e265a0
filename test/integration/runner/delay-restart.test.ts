import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findJourney, readCounters, transitionCanvas } from '@canvas/db';
import { createProducer, type Admin, type Producer } from '@canvas/kafka';
import {
  createTestDatabase,
  createTestTopic,
  seedLaunchedCanvas,
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

describe('a durable delay', () => {
  let database: TestDatabase;
  let topic: string;
  let admin: Admin;
  let producer: Producer;
  const workspaceId = randomUUID();
  const canvasId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ topic, admin } = await createTestTopic('events', 2));
    await admin.ensureTopic(`${topic}.dlq`, 1);
    producer = await createProducer(testKafka());
    await seedWorkspace(database.db, workspaceId);
    await seedLaunchedCanvas(database.db, {
      id: canvasId,
      workspaceId,
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
    });
  });

  afterAll(async () => {
    await stopAllProcesses();
    await producer.disconnect();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.disconnect();
    await database.drop();
  });

  it('survives a runner killed during it, and fires exactly once after the restart', async () => {
    const env = {
      KAFKA_BROKERS: testBrokers().join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dlq`,
      CONSUMER_GROUP: uniqueName('runner'),
      DATABASE_URL: database.url,
    };
    const first = startRunnerProcess(env);
    await waitForLog(first, 'journey runner started');
    await producer.send(topic, [
      {
        key: 'u1',
        value: JSON.stringify({ type: 'identify', messageId: 'i1', userId: 'u1', traits: { email: 'U1@example.com' } }),
        headers: { 'workspace-id': workspaceId },
      },
      {
        key: 'u1',
        value: JSON.stringify({ type: 'track', messageId: 't1', userId: 'u1', event: 'added_to_cart' }),
        headers: { 'workspace-id': workspaceId },
      },
    ]);
    await waitFor(async () => (await findJourney(database.db, workspaceId, 'u1', canvasId))?.status === 'waiting', {
      what: 'the user waiting in the delay',
    });
    const timer = await database.db.selectFrom('timers').selectAll().executeTakeFirstOrThrow();
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');

    // the delay comes due while no runner is alive
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, timer.due_at.getTime() - Date.now()) + 500));
    const second = startRunnerProcess(env);
    await waitFor(async () => (await findJourney(database.db, workspaceId, 'u1', canvasId))?.status === 'completed', {
      what: 'the delay to fire',
    });
    const firedAt = Date.now();

    expect(await database.db.selectFrom('timers').selectAll().execute()).toEqual([]);
    const entries = await database.db.selectFrom('audience_entries').selectAll().execute();
    expect(entries.map((e) => [e.user_id, e.status, e.step_id])).toEqual([['u1', 'pending', 'fb']]);
    const counters = Object.fromEntries(
      (await readCounters(database.db, canvasId)).map((c) => [`${c.stepId}.${c.metric}`, c.value]),
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
    const third = startRunnerProcess(env);
    await waitForLog(third, 'journey runner started');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await database.db.selectFrom('audience_entries').select('id').execute()).toHaveLength(1);
    expect(await third.stop('SIGTERM')).toBe(0);
  });

  it('cancels, and counts, a journey whose canvas is archived while the user waits', async () => {
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
    const env = {
      KAFKA_BROKERS: testBrokers().join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dlq`,
      CONSUMER_GROUP: uniqueName('runner'),
      DATABASE_URL: database.url,
    };
    const runner = startRunnerProcess(env);
    await producer.send(topic, [
      {
        key: 'u2',
        value: JSON.stringify({ type: 'track', messageId: 'b1', userId: 'u2', event: 'browsed' }),
        headers: { 'workspace-id': workspaceId },
      },
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
      (await readCounters(database.db, archivedId)).map((c) => [`${c.stepId}.${c.metric}`, c.value]),
    );
    expect(counters).toEqual({ '$canvas.entered': 1, '$canvas.canceled': 1, 'wait.entered': 1 });
    expect(await runner.stop('SIGTERM')).toBe(0);
  });
});
