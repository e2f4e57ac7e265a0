import { describe, expect, it } from '@jest/globals';
import { inControlGroup } from '@canvas/canvas';
import { abandonedCartCanvas, readMetric, useEndToEnd, waitFor } from '@canvas/test-support';

interface Analytics {
  totals: { entered: number; control: number; exited: number; converted: number; completed: number };
  steps: {
    stepId: string;
    entered: number;
    proceeded: number;
    exited: number;
    facebook: { synced: number; notSynced: number; pending: number; errored: number } | null;
  }[];
}

describe('a user journey, end to end', () => {
  const e2e = useEndToEnd('e2e-events');

  it(
    'moves users from Kafka events into a Facebook audience, and the sandbox, ' + 'analytics and /metrics agree',
    async () => {
      // a designer: creates a workspace with the CLI, then works over HTTP
      const { system, topic, producer } = e2e;
      const { call, connectAccount, message: send } = e2e.designer('E2E shop');
      expect(await connectAccount()).toBe(201);
      const canvas = await call<{ id: string }>(
        'POST',
        '/v1/canvases',
        abandonedCartCanvas({ delay: '3s', controlGroupPercent: 10 }),
      );
      expect(canvas.status).toBe(201);
      expect((await call('POST', `/v1/canvases/${canvas.body.id}/launch`)).status).toBe(200);

      // the users: 20 shoppers, one buying before the delay ends, one in the control group, one without e-mail or phone
      const shoppers = Array.from({ length: 40 }, (_, i) => `shopper-${i}`)
        .filter((u) => !inControlGroup(canvas.body.id, u, 10))
        .slice(0, 20);
      const buyer = Array.from({ length: 40 }, (_, i) => `buyer-${i}`).find(
        (u) => !inControlGroup(canvas.body.id, u, 10),
      )!;
      const control = Array.from({ length: 400 }, (_, i) => `held-${i}`).find((u) =>
        inControlGroup(canvas.body.id, u, 10),
      )!;
      const anonymous = Array.from({ length: 40 }, (_, i) => `guest-${i}`).find(
        (u) => !inControlGroup(canvas.body.id, u, 10),
      )!;

      // an upstream producer: a plain kafkajs client, key = userId, the workspace in a header
      const messages = [
        ...[...shoppers, buyer, control].flatMap((u, i) => [
          send(u, {
            type: 'identify',
            messageId: `${u}-identify`,
            traits: { email: `${u}@shop.example`, phone: `+1 (415) 555-${String(1000 + i)}`, firstName: 'Pat' },
          }),
          send(u, { type: 'track', messageId: `${u}-cart`, event: 'added_to_cart', properties: { total: 42 } }),
        ]),
        send(anonymous, { type: 'identify', messageId: `${anonymous}-identify`, traits: { firstName: 'Guest' } }),
        send(anonymous, { type: 'track', messageId: `${anonymous}-cart`, event: 'added_to_cart' }),
        send(buyer, { type: 'track', messageId: `${buyer}-buy`, event: 'purchased' }),
      ];
      await producer.send({ topic, messages });

      const analytics = (await waitFor(
        async () => {
          const { body } = await call<Analytics>('GET', `/v1/canvases/${canvas.body.id}/analytics`);
          const fb = body.steps.find((s) => s.stepId === 'fb')?.facebook;
          return body.totals.entered === 23 && fb && fb.synced + fb.notSynced === 21 && fb.pending === 0
            ? body
            : undefined;
        },
        { what: 'everyone through the canvas', timeoutMs: 60_000, intervalMs: 500 },
      )) as Analytics;

      expect(analytics.totals).toMatchObject({ entered: 23, control: 1, exited: 1, completed: 21 });
      expect(analytics.steps.find((s) => s.stepId === 'wait')).toMatchObject({ entered: 22, proceeded: 21, exited: 1 });
      expect(analytics.steps.find((s) => s.stepId === 'fb')).toMatchObject({
        entered: 21,
        proceeded: 21,
        facebook: {
          synced: 20,
          notSynced: 1,
          pending: 0,
          errored: 0,
          invalidEntries: 0,
          removals: { removed: 0, synced: 0, notSynced: 0, pending: 0, errored: 0 },
        },
      });

      const sandboxAudiences = (await (
        await fetch(`${system.sandbox.url}/_sandbox/audiences?accountId=${system.adAccountId}`)
      ).json()) as { data: { id: string; name: string; memberCount: number }[] };
      expect(sandboxAudiences.data).toEqual([
        expect.objectContaining({ name: 'Abandoned_Cart_30_Days', memberCount: 20 }),
      ]);
      const metricsText = await (await fetch(`${system.api.opsUrl}/metrics`)).text();
      expect(metricsText).toContain(
        `canvas_step_users{canvas_id="${canvas.body.id}",version="1",step_id="fb",metric="synced",service="api"} 20`,
      );
      expect(metricsText).toContain(
        `canvas_step_users{canvas_id="${canvas.body.id}",version="1",step_id="fb",metric="not_synced",service="api"} 1`,
      );
      expect(await readMetric(system.sync.opsUrl, 'canvas_sync_users_total', { status: 'synced' })).toBe(20);
      expect(await readMetric(system.runner.opsUrl, 'canvas_runner_events_total', { outcome: 'applied' })).toBe(
        messages.length,
      );

      const why = await call<{ entries: { status: string; lastError: { code: string } | null }[] }>(
        'GET',
        `/v1/canvases/${canvas.body.id}/steps/fb/users/${anonymous}`,
      );
      expect(why.body.entries).toEqual([
        expect.objectContaining({
          status: 'not_synced',
          lastError: expect.objectContaining({ code: 'NO_MATCH_KEYS' }),
        }),
      ]);
      expect((await call('GET', `/v1/canvases/${canvas.body.id}/steps/fb/users/${buyer}`)).status).toBe(404);

      // an SRE stops everything: each service drains and exits cleanly
      const codes = await Promise.all(system.all().map((p) => p.stop('SIGTERM')));
      expect(codes).toEqual([0, 0, 0, 0]);
      const logs = system
        .all()
        .map((p) => p.output())
        .join('\n');
      expect(logs).not.toContain('@shop.example');
      expect(logs).not.toContain(system.adAccountToken);
    },
  );
});
