import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import {
  createBatchConsumer,
  createProducer,
  deadLetterHeaders,
  type Admin,
  type InboundMessage,
  type OutboundMessage,
} from '@canvas/kafka';
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
const canvasId = randomUUID();
const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/segment-spec/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

/** Segment's documented track example with one metadata field changed, as other producers send it. */
const metadataVariants: Record<string, unknown>[] = [
  { version: '1.1' },
  { version: 2 },
  { version: '2' },
  { version: { major: 1 } },
  { channel: 'server' },
  { channel: 42 },
  { integrations: { All: 'yes', Braze: { appId: 1 } } },
  { integrations: 'all' },
  { anonymousId: null },
  { sentAt: 'soon' },
  { receivedAt: 17 },
  { originalTimestamp: 'earlier' },
  { context: 'web' },
  { context: { library: 'kcat', page: 'home', ip: 7, userAgent: ['x'], traits: 'vip' } },
  { properties: null },
  { writeKey: 'abc', _metadata: { bundled: ['Segment.io'] } },
];

describe("Segment's documented calls through the real runner", () => {
  let database: TestDatabase;
  let topic: string;
  let admin: Admin;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ topic, admin } = await createTestTopic('events', 2));
    await admin.ensureTopic(`${topic}.dlq`, 1);
    await seedWorkspace(database.db, workspaceId);
    // the identify example's user lives at address.country "USA"; the filter says US
    await seedLaunchedCanvas(database.db, {
      id: canvasId,
      workspaceId,
      definition: {
        name: 'course clickers in the US',
        entry: {
          trigger: { event: 'Course Clicked' },
          filters: [
            { field: 'country', op: 'eq', value: 'US' },
            { field: 'region', op: 'eq', value: 'California' },
            { field: 'city', op: 'eq', value: 'san francisco' },
          ],
          reentry: { policy: 'after_cooldown', cooldown: '1s' },
        },
        firstStep: 'end',
        steps: [{ id: 'end', kind: 'exit' }],
      },
    });
  });

  afterAll(async () => {
    await stopAllProcesses();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.deleteTopic(`${topic}.dlq`).catch(() => undefined);
    await admin.disconnect();
    await database.drop();
  });

  it('applies identify and track with every trait, enters a normalised-geography canvas, and dead-letters only the calls canvases do not use', async () => {
    const headers = { 'workspace-id': workspaceId };
    const send = (event: Record<string, unknown>): OutboundMessage => ({
      key: String(event.userId),
      value: JSON.stringify(event),
      headers,
    });
    const identify = example('identify');
    const track = example('track');
    const messages = [
      send(identify),
      send(track),
      send(example('track-full-context')),
      ...metadataVariants.map((fields, i) =>
        send({ ...track, ...fields, messageId: `variant-${i}`, userId: `variant-user-${i}` }),
      ),
      ...['page', 'screen', 'group', 'alias'].map((name) => send(example(name))),
    ];
    const producer = await createProducer(testKafka());
    // one user's calls in order, as the key guarantees: identify first, then the clicks
    await producer.send(topic, messages);
    await producer.disconnect();

    const runner = startRunnerProcess({
      KAFKA_BROKERS: testBrokers().join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dlq`,
      CONSUMER_GROUP: uniqueName('runner'),
      DATABASE_URL: database.url,
    });
    await waitForLog(runner, 'journey runner started');
    const opsUrl = await runner.opsUrl();
    await waitFor(async () => (await readMetric(opsUrl, 'canvas_runner_events_total')) === messages.length, {
      what: 'every message handled',
    });
    expect(await readMetric(opsUrl, 'canvas_runner_events_total', { outcome: 'applied' })).toBe(
      3 + metadataVariants.length,
    );
    expect(await readMetric(opsUrl, 'canvas_runner_dead_letters_total')).toBe(4);
    expect(await readMetric(opsUrl, 'canvas_runner_dead_letters_total', { reason: 'unsupported_type' })).toBe(4);

    const profile = await sql<{ traits: Record<string, unknown>; context: Record<string, unknown> }>`
      SELECT traits, context FROM user_profiles WHERE workspace_id = ${workspaceId} AND user_id = ${String(identify.userId)}`.execute(
      database.db,
    );
    const stored = profile.rows[0]!;
    // every trait of the identify example, plus the full-context track's context.traits
    expect(stored.traits).toEqual({ ...(identify.traits as object), phone: '+1 (650) 555-1212', firstName: 'Peter' });
    expect(stored.context).toMatchObject({
      app: { name: 'InitechGlobal' },
      os: { name: 'iPhone OS' },
      device: { type: 'ios' },
    });
    const entered = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM journeys WHERE canvas_id = ${canvasId} AND user_id = ${String(identify.userId)}`.execute(
      database.db,
    );
    expect(entered.rows[0]?.n).toBe(1);
    const variants = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM user_profiles WHERE user_id LIKE 'variant-user-%'`.execute(database.db);
    expect(variants.rows[0]?.n).toBe(metadataVariants.length);

    const letters: InboundMessage[] = [];
    const reader = createBatchConsumer(testKafka('dlq-reader'), {
      groupId: uniqueName('dlq'),
      topics: [`${topic}.dlq`],
    });
    await reader.run(async (batch) => {
      letters.push(...batch.messages);
      return (BigInt(batch.messages[batch.messages.length - 1]!.offset) + 1n).toString();
    });
    await waitFor(() => letters.length === 4, { what: 'four dead letters' });
    await reader.stop();
    expect(letters.map((l) => l.headers[deadLetterHeaders.detail]).sort()).toEqual(
      ['alias', 'group', 'page', 'screen'].map(
        (t) => `Segment ${t} calls are not used by canvases; send identify or track`,
      ),
    );
    expect(await runner.stop('SIGTERM')).toBe(0);
  });
});
