import { describe, expect, it } from '@jest/globals';
import { cartAbandonersSegmentExample, inControlGroup } from '@canvas/canvas';
import {
  cartAbandonerIds,
  readMetric,
  shopperMessages,
  shoppers,
  useEndToEnd,
  waitFor,
  type ShopperMessage,
} from '@canvas/test-support';

interface Run {
  status: string;
  members: number;
  entered: number;
  removed: number;
}
interface FacebookNumbers {
  synced: number;
  notSynced: number;
  pending: number;
  errored: number;
  removals: FacebookNumbers & { removed: number };
}
interface Analytics {
  totals: { entered: number; control: number; completed: number };
  steps: { stepId: string; entered: number; proceeded: number; facebook: FacebookNumbers | null }[];
}

const eventCount = 200_000;
const userCount = 20_000;

describe('segments over past behaviour, end to end', () => {
  const now = new Date();
  const e2e = useEndToEnd('e2e-segments', {
    env: { SEGMENT_RUN_POLL_INTERVAL: '200ms', CANVAS_REFRESH_INTERVAL: '1s' },
  });

  it(
    'estimates a segment exactly, enters its members once, and a following audience ' +
      'loses those who stop qualifying',
    async () => {
      const { database, system, topic, producer } = e2e;
      const { workspaceId, call, connectAccount } = e2e.designer('Segments shop');
      const produce = async (messages: readonly ShopperMessage[]) => {
        for (let i = 0; i < messages.length; i += 10_000)
          await producer.send({ topic, messages: messages.slice(i, i + 10_000) });
      };
      const applied = () => readMetric(system.runner.opsUrl, 'canvas_runner_events_total', { outcome: 'applied' });

      // 1. the past: 200,000 events of 20,000 shoppers over the last 45 days, through Kafka
      const users = shoppers(userCount, now);
      const history = shopperMessages(users, workspaceId, eventCount);
      expect(history).toHaveLength(eventCount);
      await produce(history);
      await waitFor(async () => (await applied()) === eventCount, { what: 'history applied', timeoutMs: 240_000 });

      // 2. the segment and its estimate, against SQL written here over the raw history
      expect(await connectAccount()).toBe(201);
      const segment = await call<{ id: string }>('POST', '/v1/segments', cartAbandonersSegmentExample);
      expect(segment.status).toBe(201);
      const expected = await cartAbandonerIds(database.db, workspaceId, now);
      expect(expected.length).toBeGreaterThan(1000);
      const estimate = await call<{ members: number }>('POST', `/v1/segments/${segment.body.id}/estimate`);
      expect(estimate.body.members).toBe(expected.length);

      // 3. a one-time canvas puts exactly the members, minus the control group, into its audience
      const fbStep = (name: string, followSegment = false) => ({
        id: 'fb',
        kind: 'facebook_audience',
        audience: { create: { name } },
        matchKeys: ['EXTERN_ID', 'EMAIL'],
        followSegment,
        next: null,
      });
      const once = await call<{ id: string }>('POST', '/v1/canvases', {
        name: 'Cart abandoners, once',
        entry: { segment: { segmentId: segment.body.id, runs: { kind: 'once' } }, controlGroupPercent: 10 },
        firstStep: 'fb',
        steps: [fbStep('Cart_Abandoners_Once')],
      });
      expect(once.status).toBe(201);
      expect((await call('POST', `/v1/canvases/${once.body.id}/launch`)).status).toBe(200);
      const control = expected.filter((u) => inControlGroup(once.body.id, u, 10));
      const treated = expected.filter((u) => !inControlGroup(once.body.id, u, 10));

      const runsOf = async (canvasId: string) =>
        (await call<{ nextRunAt: string | null; data: Run[] }>('GET', `/v1/canvases/${canvasId}/runs`)).body;
      await waitFor(async () => (await runsOf(once.body.id)).data[0]?.status === 'finished', { what: 'the run' });
      expect(await runsOf(once.body.id)).toEqual({
        nextRunAt: null,
        data: [expect.objectContaining({ status: 'finished', members: expected.length, entered: expected.length })],
      });
      const audienceMembers = async (name: string) => {
        const audiences = (await (
          await fetch(`${system.sandbox.url}/_sandbox/audiences?accountId=${system.adAccountId}`)
        ).json()) as { data: { id: string; name: string }[] };
        const audience = audiences.data.find((a) => a.name === name)!;
        const page = (await (
          await fetch(`${system.sandbox.url}/_sandbox/audiences/${audience.id}/members?limit=100000`)
        ).json()) as { members: { EXTERN_ID: string }[] };
        return page.members.map((m) => m.EXTERN_ID).sort();
      };
      const analyticsOf = async (canvasId: string) =>
        (await call<Analytics>('GET', `/v1/canvases/${canvasId}/analytics`)).body;
      const settled = async (canvasId: string) => {
        const fb = (await analyticsOf(canvasId)).steps.find((s) => s.stepId === 'fb')!.facebook!;
        return fb.pending === 0 && fb.removals.pending === 0;
      };
      await waitFor(() => settled(once.body.id), { what: 'the one-time audience synced', timeoutMs: 120_000 });
      expect(await audienceMembers('Cart_Abandoners_Once')).toEqual(treated);
      const onceNumbers = await analyticsOf(once.body.id);
      expect(onceNumbers.totals).toMatchObject({ entered: expected.length, control: control.length });
      expect(onceNumbers.steps).toEqual([
        expect.objectContaining({
          stepId: 'fb',
          entered: treated.length,
          proceeded: treated.length,
          facebook: expect.objectContaining({ synced: treated.length, notSynced: 0, pending: 0, errored: 0 }),
        }),
      ]);

      // 4. a mirror runs twice; between its runs some members buy, and its second run removes exactly them
      // dates before launch are skipped: the first one leaves launch a few seconds
      const firstRunAt = new Date(Date.now() + 8_000).toISOString();
      const secondRunAt = new Date(Date.now() + 50_000).toISOString();
      const mirror = await call<{ id: string }>('POST', '/v1/canvases', {
        name: 'Cart abandoners, mirrored',
        entry: {
          segment: {
            segmentId: segment.body.id,
            runs: { kind: 'dates', at: [firstRunAt, secondRunAt] },
          },
          reentry: { policy: 'after_cooldown', cooldown: '0s' },
        },
        firstStep: 'fb',
        steps: [fbStep('Cart_Abandoners_Mirror', true)],
      });
      expect(mirror.status).toBe(201);
      expect((await call('POST', `/v1/canvases/${mirror.body.id}/launch`)).status).toBe(200);
      await waitFor(async () => (await runsOf(mirror.body.id)).data[0]?.status === 'finished', { what: 'first run' });
      expect((await runsOf(mirror.body.id)).nextRunAt).toBe(secondRunAt);
      await waitFor(() => settled(mirror.body.id), { what: 'the mirror synced', timeoutMs: 120_000 });
      expect(await audienceMembers('Cart_Abandoners_Mirror')).toEqual(expected);

      const buyers = expected.filter((_, i) => i % 10 === 3);
      await produce(
        buyers.map((u) => ({
          key: u,
          value: JSON.stringify({ type: 'track', userId: u, messageId: `${u}-bought`, event: 'purchased' }),
          headers: { 'workspace-id': workspaceId },
        })),
      );
      await waitFor(async () => (await applied()) === eventCount + buyers.length, { what: 'purchases applied' });
      expect(Date.now()).toBeLessThan(Date.parse(secondRunAt));

      await waitFor(
        async () => (await runsOf(mirror.body.id)).data.filter((r) => r.status === 'finished').length === 2,
        {
          what: 'second run',
          timeoutMs: 120_000,
        },
      );
      expect((await runsOf(mirror.body.id)).data[0]).toEqual(
        expect.objectContaining({ members: expected.length - buyers.length, entered: 0, removed: buyers.length }),
      );
      await waitFor(() => settled(mirror.body.id), { what: 'the removals synced', timeoutMs: 120_000 });
      const stayed = expected.filter((u) => !buyers.includes(u));
      expect(await audienceMembers('Cart_Abandoners_Mirror')).toEqual(stayed);
      expect((await analyticsOf(mirror.body.id)).steps[0]).toEqual(
        expect.objectContaining({
          entered: expected.length,
          facebook: {
            synced: expected.length,
            notSynced: 0,
            pending: 0,
            errored: 0,
            invalidEntries: 0,
            withoutValue: 0,
            removals: { removed: buyers.length, synced: buyers.length, notSynced: 0, pending: 0, errored: 0 },
          },
        }),
      );
      const why = await call<{ entries: { action: string; origin: string; status: string }[] }>(
        'GET',
        `/v1/canvases/${mirror.body.id}/steps/fb/users/${buyers[0]}`,
      );
      expect(why.body.entries.map((e) => [e.action, e.origin, e.status]).sort()).toEqual([
        ['add', 'step', 'synced'],
        ['remove', 'segment_exit', 'synced'],
      ]);
    },
  );
});
