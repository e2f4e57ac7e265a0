import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { transitionCanvas } from '@canvas/db';
import { createRunner, runnerConfigSchema, type Runner } from '@canvas/journey-runner';
import { createLogger, createMetricsRegistry, runChecks } from '@canvas/runtime';
import type { Admin } from '@canvas/kafka';
import {
  createTestDatabase,
  createTestTopic,
  seedLaunchedCanvas,
  seedWorkspace,
  testBrokers,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@canvas/test-support';

describe('the runner canvas index', () => {
  let database: TestDatabase;
  let topic: string;
  let admin: Admin;
  let runner: Runner;
  const workspaceId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ topic, admin } = await createTestTopic('index', 1));
    await admin.ensureTopic(`${topic}.dlq`, 1);
    await seedWorkspace(database.db, workspaceId);
    const config = runnerConfigSchema.parse({
      KAFKA_BROKERS: testBrokers().join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dlq`,
      CONSUMER_GROUP: uniqueName('index'),
      DATABASE_URL: database.url,
      CANVAS_REFRESH_INTERVAL: '1h',
      LOG_LEVEL: 'silent',
    });
    runner = await createRunner({
      config,
      db: database.db,
      logger: createLogger({ name: 'index-test', level: 'silent' }),
      registry: createMetricsRegistry('journey-runner'),
    });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.disconnect();
    await database.drop();
  });

  it('is ready, and picks up a launch and a pause from PostgreSQL notifications, without waiting for the periodic refresh', async () => {
    // ready once the runner holds its place in the consumer group
    await waitFor(async () => (await runChecks(runner.readiness)).status === 'ok', { what: 'the runner ready' });
    expect(await runChecks(runner.readiness)).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', kafka: 'ok', 'consumer-group': 'ok', 'canvas-index': 'ok' },
    });
    expect(runner.index.triggered(workspaceId, 'signed_up')).toEqual([]);
    const canvasId = randomUUID();
    await seedLaunchedCanvas(database.db, {
      id: canvasId,
      workspaceId,
      definition: {
        name: 'welcome',
        entry: { trigger: { event: 'signed_up' } },
        firstStep: 'end',
        steps: [{ id: 'end', kind: 'exit' }],
      },
    });
    // the periodic refresh is an hour away: only the notification can explain the change
    await waitFor(() => runner.index.triggered(workspaceId, 'signed_up').length === 1, {
      what: 'the launch in the index',
      timeoutMs: 5000,
      intervalMs: 20,
    });
    expect(runner.index.triggered(workspaceId, 'signed_up')[0]).toMatchObject({ status: 'running' });
    await transitionCanvas(database.db, workspaceId, canvasId, ['running'], 'paused', new Date());
    await waitFor(() => runner.index.triggered(workspaceId, 'signed_up')[0]?.status === 'paused', {
      what: 'the pause in the index',
      timeoutMs: 5000,
      intervalMs: 20,
    });
  });
});
