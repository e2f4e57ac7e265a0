import { describe, expect, it } from '@jest/globals';
import { audienceStep, removalStep, triggeredCanvas, useEndToEnd, waitFor } from '@canvas/test-support';

interface CanvasAnswer {
  id: string;
  audiences: { stepId: string; audienceId: string; fromStep: string | null }[];
  accountProblems: { code: string; adAccountId: string; steps: string[]; hint: string }[];
}

describe('one audience used by two steps, and account problems shown on canvases, end to end', () => {
  const e2e = useEndToEnd('e2e-audience-steps');

  it(
    'adds at entry and removes after purchase from the audience the draft created, ' +
      'then shows a revoked token on every canvas using it',
    async () => {
      const { system, topic, producer, sandbox } = e2e;
      const { call, connectAccount, message: send } = e2e.designer('Round trip shop');
      expect(await connectAccount()).toBe(201);
      // a small test audience: Meta's removal floor would otherwise hold the removal back
      await sandbox('PUT', '/_sandbox/config', { minRemovalSize: 0 });

      const roundTrip = await call<{ id: string }>(
        'POST',
        '/v1/canvases',
        triggeredCanvas('Viewed, then bought', 'viewed_product', [
          audienceStep('add', 'Viewed_Not_Bought', ['EMAIL'], 'wait'),
          { id: 'wait', kind: 'delay', duration: '3s', next: 'bought' },
          {
            id: 'bought',
            kind: 'audience_split',
            branches: [{ conditions: [{ field: 'traits.purchased', op: 'eq', value: true }], next: 'remove' }],
            else: null,
          },
          removalStep('remove', 'add', ['EMAIL']),
        ]),
      );
      expect(roundTrip.status).toBe(201);
      // "Create Audience" in draft mode: the audience exists at Meta before launch
      const made = await call<{ audiences: CanvasAnswer['audiences'] }>(
        'POST',
        `/v1/canvases/${roundTrip.body.id}/audiences`,
      );
      expect(made.status).toBe(200);
      const audienceId = made.body.audiences.find((a) => a.stepId === 'add')!.audienceId;
      expect(made.body.audiences.find((a) => a.stepId === 'remove')).toMatchObject({ audienceId, fromStep: 'add' });
      expect((await call('POST', `/v1/canvases/${roundTrip.body.id}/launch`)).status).toBe(200);

      const viewers = ['viewer-1', 'viewer-2', 'viewer-3'];
      await producer.send({
        topic,
        messages: viewers.flatMap((u) => [
          send(u, { type: 'identify', messageId: `${u}-id`, traits: { email: `${u}@shop.example` } }),
          send(u, { type: 'track', messageId: `${u}-view`, event: 'viewed_product' }),
        ]),
      });
      // viewer-1 buys while waiting
      await producer.send({
        topic,
        messages: [send('viewer-1', { type: 'identify', messageId: 'viewer-1-bought', traits: { purchased: true } })],
      });

      const members = async () =>
        sandbox<{ total: number }>('GET', `/_sandbox/audiences/${audienceId}/members?limit=10`).then((m) => m.total);
      await waitFor(
        async () => {
          const { body } = await call<{ steps: { stepId: string; facebook: { synced: number } | null }[] }>(
            'GET',
            `/v1/canvases/${roundTrip.body.id}/analytics`,
          );
          const synced = (id: string) => body.steps.find((s) => s.stepId === id)?.facebook?.synced;
          return synced('add') === 3 && synced('remove') === 1 ? true : undefined;
        },
        { what: 'three added and the buyer removed', timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(await members()).toBe(2);
      const audiences = await sandbox<{ data: { id: string }[] }>(
        'GET',
        `/_sandbox/audiences?accountId=${system.adAccountId}`,
      );
      expect(audiences.data.map((a) => a.id)).toEqual([audienceId]);

      // a second canvas on the same account; then Meta revokes the token
      const second = await call<{ id: string }>('POST', '/v1/canvases', {
        name: 'Second canvas',
        entry: { trigger: { event: 'signed_up' } },
        firstStep: 'fb',
        steps: [
          { id: 'fb', kind: 'facebook_audience', audience: { id: audienceId }, matchKeys: ['EMAIL'], next: null },
        ],
      });
      expect((await call('POST', `/v1/canvases/${second.body.id}/launch`)).status).toBe(200);
      for (const id of [roundTrip.body.id, second.body.id])
        expect((await call<CanvasAnswer>('GET', `/v1/canvases/${id}`)).body.accountProblems).toEqual([]);
      await sandbox('PATCH', `/_sandbox/tokens/${system.adAccountToken}`, { status: 'revoked' });
      await producer.send({
        topic,
        messages: [
          send('viewer-4', { type: 'identify', messageId: 'viewer-4-id', traits: { email: 'viewer-4@shop.example' } }),
          send('viewer-4', { type: 'track', messageId: 'viewer-4-view', event: 'viewed_product' }),
        ],
      });

      // the sync's next send meets the revoked token; both canvases say so, with what to do
      const problems = await waitFor(
        async () => {
          const { body } = await call<CanvasAnswer>('GET', `/v1/canvases/${second.body.id}`);
          return body.accountProblems.length > 0 ? body.accountProblems : undefined;
        },
        { what: 'the revoked token on the canvas', timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(problems).toEqual([
        expect.objectContaining({
          code: 'ad_account_disconnected',
          adAccountId: `act_${system.adAccountId}`,
          steps: ['fb'],
        }),
      ]);
      expect(problems?.[0]?.hint).toContain('/token');
      const first = (await call<CanvasAnswer>('GET', `/v1/canvases/${roundTrip.body.id}`)).body.accountProblems;
      expect(first).toEqual([expect.objectContaining({ code: 'ad_account_disconnected', steps: ['add', 'remove'] })]);
    },
  );
});
