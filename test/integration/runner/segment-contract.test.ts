import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { deadLetterHeaders, type OutboundMessage } from '@canvas/kafka';
import { createSeededRunnerBed, exitCanvas, startReadyRunner, waitFor, type RunnerTestBed } from '@canvas/test-support';

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
  let bed: RunnerTestBed;

  beforeAll(async () => {
    // the identify example's user lives at address.country "USA"; the filter says US
    const definition = exitCanvas('course clickers in the US', 'Course Clicked', {
      filters: [
        { field: 'country', op: 'eq', value: 'US' },
        { field: 'region', op: 'eq', value: 'California' },
        { field: 'city', op: 'eq', value: 'san francisco' },
      ],
      reentry: { policy: 'after_cooldown', cooldown: '1s' },
    });
    bed = await createSeededRunnerBed(2, [{ id: canvasId, definition }]);
  });

  afterAll(async () => bed.close());

  it(
    'applies identify and track with every trait, enters a normalised-geography ' +
      'canvas, and dead-letters only the calls canvases do not use',
    async () => {
      const send = (event: Record<string, unknown>): OutboundMessage => ({
        key: String(event.userId),
        value: JSON.stringify(event),
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
      // one user's calls in order, as the key guarantees: identify first, then the clicks
      await bed.produce(messages);

      const runner = await startReadyRunner(bed.env());
      await waitFor(async () => (await runner.metric('canvas_runner_events_total')) === messages.length, {
        what: 'every message handled',
      });
      expect(await runner.metric('canvas_runner_events_total', { outcome: 'applied' })).toBe(
        3 + metadataVariants.length,
      );
      expect(await runner.metric('canvas_runner_dead_letters_total')).toBe(4);
      expect(await runner.metric('canvas_runner_dead_letters_total', { reason: 'unsupported_type' })).toBe(4);

      const profile = await sql<{ traits: Record<string, unknown>; context: Record<string, unknown> }>`
      SELECT traits, context FROM user_profiles
      WHERE workspace_id = ${bed.workspaceId} AND user_id = ${String(identify.userId)}`.execute(bed.database.db);
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
      }>`
      SELECT count(*)::int AS n FROM journeys
      WHERE canvas_id = ${canvasId} AND user_id = ${String(identify.userId)}`.execute(bed.database.db);
      expect(entered.rows[0]?.n).toBe(1);
      const variants = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM user_profiles WHERE user_id LIKE 'variant-user-%'`.execute(bed.database.db);
      expect(variants.rows[0]?.n).toBe(metadataVariants.length);

      const letters = await bed.readDeadLetters(4);
      expect(letters.map((l) => l.headers[deadLetterHeaders.detail]).sort()).toEqual(
        ['alias', 'group', 'page', 'screen'].map(
          (t) => `Segment ${t} calls are not used by canvases; send identify or track`,
        ),
      );
      expect(await runner.stop('SIGTERM')).toBe(0);
    },
  );
});
