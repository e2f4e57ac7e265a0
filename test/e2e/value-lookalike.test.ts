import { describe, expect, it } from '@jest/globals';
import { triggeredCanvas, useEndToEnd, waitFor } from '@canvas/test-support';

interface LookalikeAnswer {
  stepId: string;
  status: string;
  sourceAudienceId: string | null;
  lookalikeId: string | null;
  sourceSize: number | null;
  countries: string[];
  ratio: number;
  meta: { operationStatus: { code: number } | null; approximateCount: number | null } | null;
}
interface CanvasAnswer {
  id: string;
  audiences: { stepId: string; audienceId: string }[];
  lookalikes: LookalikeAnswer[];
}
interface Analytics {
  steps: { stepId: string; facebook: { synced: number; notSynced: number; withoutValue: number } | null }[];
}
interface SandboxAudience {
  id: string;
  subtype: string;
  isValueBased: boolean;
  lookalike: { originAudienceId: string; countries: string[]; ratio: number } | null;
}

describe('a value-based audience and its lookalike, end to end over HTTP against the sandbox', () => {
  // lookalikes are looked at every half second, and created from three people (Meta: 100)
  const e2e = useEndToEnd('e2e-value-lookalike', {
    env: { SYNC_LOOKALIKE_INTERVAL: '500ms', SYNC_LOOKALIKE_MIN_SOURCE: '3' },
  });

  it(
    'sends each buyer with LOOKALIKE_VALUE, leaves users without a value Not synced, ' +
      'and creates the lookalike once the audience is big enough',
    async () => {
      const { system, topic, producer, sandbox } = e2e;
      const { call, connectAccount, message: send } = e2e.designer('Value shop');
      expect(await connectAccount()).toBe(201);
      await sandbox('PUT', '/_sandbox/config', { minLookalikeSourceSize: 3, lookalikePopulateMs: 0 });

      const created = await call<CanvasAnswer>(
        'POST',
        '/v1/canvases',
        triggeredCanvas('Buyers by value', 'purchased', [
          {
            id: 'fb',
            kind: 'facebook_audience',
            audience: { create: { name: 'Buyers_By_Value', valueTrait: 'lifetime_value' } },
            matchKeys: ['EMAIL'],
            lookalike: { countries: ['us', 'CA'], ratio: 0.02 },
            next: null,
          },
        ]),
      );
      expect(created.status).toBe(201);
      const canvasId = created.body.id;
      expect(created.body.lookalikes).toEqual([
        expect.objectContaining({ stepId: 'fb', status: 'not_launched', countries: ['CA', 'US'], ratio: 0.02 }),
      ]);
      expect((await call('POST', `/v1/canvases/${canvasId}/launch`)).status).toBe(200);
      const launched = (await call<CanvasAnswer>('GET', `/v1/canvases/${canvasId}`)).body;
      const audienceId = launched.audiences[0]!.audienceId;
      expect(launched.lookalikes[0]).toMatchObject({ status: 'waiting_for_source', sourceAudienceId: audienceId });
      const atMeta = await sandbox<SandboxAudience>('GET', `/_sandbox/audiences/${audienceId}`);
      expect(atMeta).toMatchObject({ subtype: 'CUSTOM', isValueBased: true });

      const buyer = (userId: string, traits: Record<string, unknown>) => [
        send(userId, {
          type: 'identify',
          messageId: `${userId}-id`,
          traits: { email: `${userId}@shop.example`, ...traits },
        }),
        send(userId, { type: 'track', messageId: `${userId}-buy`, event: 'purchased' }),
      ];
      await producer.send({
        topic,
        messages: [
          ...buyer('big', { lifetime_value: 120.5 }),
          ...buyer('text', { lifetime_value: '80' }),
          ...buyer('none', {}),
          ...buyer('negative', { lifetime_value: -5 }),
        ],
      });
      const numbers = async () => {
        const { body } = await call<Analytics>('GET', `/v1/canvases/${canvasId}/analytics`);
        return body.steps.find((s) => s.stepId === 'fb')?.facebook;
      };
      await waitFor(async () => ((await numbers())?.synced === 2 ? true : undefined), {
        what: 'two buyers synced',
        timeoutMs: 60_000,
        intervalMs: 500,
      });
      expect(await numbers()).toMatchObject({ synced: 2, notSynced: 2, withoutValue: 2 });
      const answer = await call<{ entries: { status: string; lastError: { code: string } | null }[] }>(
        'GET',
        `/v1/canvases/${canvasId}/steps/fb/users/none`,
      );
      expect(answer.body.entries[0]).toMatchObject({ status: 'not_synced', lastError: { code: 'NO_LOOKALIKE_VALUE' } });

      // every row Meta received carried its value, as a number
      const members = await sandbox<{ members: Record<string, string>[] }>(
        'GET',
        `/_sandbox/audiences/${audienceId}/members`,
      );
      expect(members.members.map((m) => m.LOOKALIKE_VALUE).sort()).toEqual(['120.5', '80']);
      const uploads = await sandbox<{ data: { action?: string; schema?: string[]; status: number }[] }>(
        'GET',
        `/_sandbox/requests?audienceId=${audienceId}`,
      );
      const adds = uploads.data.filter((r) => r.action === 'add');
      expect(adds.length).toBeGreaterThan(0);
      for (const add of adds) expect(add).toMatchObject({ schema: ['EMAIL', 'LOOKALIKE_VALUE'], status: 200 });

      // two people are fewer than the minimum: the lookalike waits, showing the source's size
      const waiting = (await waitFor(
        async () => {
          const { lookalikes } = (await call<CanvasAnswer>('GET', `/v1/canvases/${canvasId}`)).body;
          return lookalikes[0]?.sourceSize === 2 ? lookalikes[0] : undefined;
        },
        { what: 'the source size shown', timeoutMs: 30_000, intervalMs: 300 },
      ))!;
      expect(waiting).toMatchObject({ status: 'waiting_for_source', lookalikeId: null });

      await producer.send({ topic, messages: buyer('third', { lifetime_value: 10 }) });
      const ready = (await waitFor(
        async () => {
          const { lookalikes } = (await call<CanvasAnswer>('GET', `/v1/canvases/${canvasId}`)).body;
          const shown = lookalikes[0];
          return shown?.status === 'created' && shown.meta?.operationStatus?.code === 200 ? shown : undefined;
        },
        { what: 'the lookalike created and its status shown', timeoutMs: 60_000, intervalMs: 300 },
      ))!;
      expect(ready.sourceSize).toBe(3);
      expect(ready.meta?.approximateCount).toBeGreaterThan(0);

      // a few more looks later Meta still has exactly one lookalike of the audience, asked for once
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const audiences = await sandbox<{ data: SandboxAudience[] }>(
        'GET',
        `/_sandbox/audiences?accountId=${system.adAccountId}`,
      );
      expect(audiences.data.filter((a) => a.subtype === 'LOOKALIKE')).toEqual([
        expect.objectContaining({
          id: ready.lookalikeId,
          isValueBased: false,
          lookalike: { originAudienceId: audienceId, countries: ['CA', 'US'], ratio: 0.02 },
        }),
      ]);
      const creations = await sandbox<{ data: { method: string; subtype?: string; status: number }[] }>(
        'GET',
        `/_sandbox/requests?accountId=${system.adAccountId}`,
      );
      expect(creations.data.filter((r) => r.subtype === 'LOOKALIKE').map((r) => r.status)).toEqual([200]);
    },
  );
});
