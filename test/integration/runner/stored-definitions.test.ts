import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { findJourney, type Db } from '@canvas/db';
import { createProducer, type Admin } from '@canvas/kafka';
import {
  createTestDatabase,
  createTestTopic,
  readMetric,
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

const workspaceId = randomUUID();
const oldFormat = JSON.parse(
  readFileSync(new URL('../../fixtures/stored-canvases/v0.1-abandoned-cart.json', import.meta.url), 'utf8'),
) as {
  name: string;
};

/** Puts a stored document in place of a launched version's definition, as an older release (or damage) left it. */
async function storeRaw(db: Db, canvasId: string, document: unknown): Promise<void> {
  await sql`UPDATE canvas_versions SET definition = ${JSON.stringify(document)}::jsonb WHERE canvas_id = ${canvasId}`.execute(
    db,
  );
}

describe('stored canvas definitions', () => {
  let database: TestDatabase;
  let topic: string;
  let admin: Admin;
  const oldId = randomUUID();
  const brokenId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ topic, admin } = await createTestTopic('events', 2));
    await admin.ensureTopic(`${topic}.dlq`, 1);
    await seedWorkspace(database.db, workspaceId);
    const audience = { adAccountId: randomUUID(), metaAccountId: '4242', audienceId: '238000042' };
    await seedLaunchedCanvas(database.db, { id: oldId, workspaceId, definition: oldFormat as never, audience });
    await storeRaw(database.db, oldId, oldFormat);
    await seedLaunchedCanvas(database.db, {
      id: brokenId,
      workspaceId,
      definition: {
        name: 'soon broken',
        entry: { trigger: { event: 'added_to_cart' } },
        firstStep: 'end',
        steps: [{ id: 'end', kind: 'exit' }],
      },
    });
    await storeRaw(database.db, brokenId, {
      name: 'broken',
      entry: { trigger: 'added_to_cart' },
      steps: 'none',
      schemaVersion: 1,
    });
  });

  afterAll(async () => {
    await stopAllProcesses();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.deleteTopic(`${topic}.dlq`).catch(() => undefined);
    await admin.disconnect();
    await database.drop();
  });

  it('runs a canvas stored in the 0.1 format, and leaves out an unreadable one without stalling', async () => {
    const runner = startRunnerProcess({
      KAFKA_BROKERS: testBrokers().join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dlq`,
      CONSUMER_GROUP: uniqueName('runner'),
      DATABASE_URL: database.url,
    });
    await waitForLog(runner, 'journey runner started');
    const opsUrl = await runner.opsUrl();
    expect(await readMetric(opsUrl, 'canvas_runner_unreadable_definitions_total')).toBe(1);
    expect(runner.output()).toContain(`"canvasId":"${brokenId}"`);

    const producer = await createProducer(testKafka());
    const headers = { 'workspace-id': workspaceId };
    await producer.send(topic, [
      {
        key: 'u1',
        value: JSON.stringify({ type: 'identify', messageId: 'i1', userId: 'u1', traits: { email: 'u1@example.com' } }),
        headers,
      },
      {
        key: 'u1',
        value: JSON.stringify({
          type: 'track',
          messageId: 't1',
          userId: 'u1',
          event: 'added_to_cart',
          properties: { total: 25 },
        }),
        headers,
      },
    ]);
    await producer.disconnect();
    // the old-format canvas moves the user through its one-second delay to the Facebook step
    await waitFor(async () => (await findJourney(database.db, workspaceId, 'u1', oldId))?.status === 'completed', {
      what: 'the old-format journey',
    });
    expect(await findJourney(database.db, workspaceId, 'u1', brokenId)).toBeUndefined();
    expect(await readMetric(opsUrl, 'canvas_runner_events_total', { outcome: 'applied' })).toBe(2);
    expect(await readMetric(opsUrl, 'canvas_runner_unreadable_definitions_total')).toBe(1);
    expect(await runner.stop('SIGTERM')).toBe(0);
  });
});
