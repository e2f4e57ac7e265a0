import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addCounters } from '@canvas/db';
import { abandonedCartCanvas, startApiHarness, type ApiHarness } from '@canvas/test-support';

describe('analytics', () => {
  let h: ApiHarness;
  let canvasId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    const account = h.sandboxAccount();
    await h.call('POST', '/v1/ad-accounts', { adAccountId: account.accountId, accessToken: account.token });
    canvasId = (await h.call('POST', '/v1/canvases', abandonedCartCanvas())).json<{ id: string }>().id;
    await h.call('POST', `/v1/canvases/${canvasId}/launch`);
  });
  afterAll(async () => h.close());

  it('shows zeros for every step before anything happened', async () => {
    const response = await h.call('GET', `/v1/canvases/${canvasId}/analytics`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      canvasId,
      version: null,
      from: null,
      to: null,
      totals: { entered: 0, control: 0, converted: 0, controlConverted: 0, exited: 0, completed: 0, canceled: 0 },
      steps: [
        {
          stepId: 'wait',
          kind: 'delay',
          name: null,
          entered: 0,
          proceeded: 0,
          exited: 0,
          converted: 0,
          facebook: null,
        },
        {
          stepId: 'fb',
          kind: 'facebook_audience',
          name: null,
          entered: 0,
          proceeded: 0,
          exited: 0,
          converted: 0,
          facebook: {
            synced: 0,
            notSynced: 0,
            pending: 0,
            errored: 0,
            invalidEntries: 0,
            withoutValue: 0,
            removals: { removed: 0, synced: 0, notSynced: 0, pending: 0, errored: 0 },
          },
        },
      ],
    });
  });

  it(
    'sums the counters the runner and the sync write, per version and time range, ' + 'and exposes them on /metrics',
    async () => {
      const earlier = new Date('2026-01-01T10:30:00Z');
      const now = new Date();
      await addCounters(
        h.database.db,
        [
          { workspaceId: h.workspaceId, canvasId, version: 1, stepId: '$canvas', metric: 'entered', delta: 5 },
          { workspaceId: h.workspaceId, canvasId, version: 1, stepId: 'wait', metric: 'entered', delta: 5 },
          { workspaceId: h.workspaceId, canvasId, version: 1, stepId: 'fb', metric: 'entered', delta: 3 },
          { workspaceId: h.workspaceId, canvasId, version: 1, stepId: 'fb', metric: 'pending', delta: 3 },
        ],
        earlier,
        0,
      );
      await addCounters(
        h.database.db,
        [
          { workspaceId: h.workspaceId, canvasId, version: 1, stepId: 'fb', metric: 'pending', delta: -2 },
          { workspaceId: h.workspaceId, canvasId, version: 1, stepId: 'fb', metric: 'synced', delta: 2 },
          { workspaceId: h.workspaceId, canvasId, version: 1, stepId: '$canvas', metric: 'entered', delta: 1 },
        ],
        now,
        7,
      );
      const all = (await h.call('GET', `/v1/canvases/${canvasId}/analytics`)).json<{
        totals: { entered: number };
        steps: { stepId: string; entered: number; facebook: unknown }[];
      }>();
      expect(all.totals.entered).toBe(6);
      expect(all.steps.find((s) => s.stepId === 'fb')).toMatchObject({
        entered: 3,
        facebook: { synced: 2, notSynced: 0, pending: 1, errored: 0 },
      });

      const recent = (
        await h.call(
          'GET',
          `/v1/canvases/${canvasId}/analytics` +
            `?from=${encodeURIComponent(new Date(now.getTime() - 60_000).toISOString())}`,
        )
      ).json<{ totals: { entered: number }; steps: { stepId: string; entered: number; facebook: unknown }[] }>();
      expect(recent.totals.entered).toBe(1);
      expect(recent.steps.find((s) => s.stepId === 'fb')).toMatchObject({
        entered: 0,
        facebook: { synced: 2, pending: 1 },
      });
      expect((await h.call('GET', `/v1/canvases/${canvasId}/analytics?version=2`)).json()).toMatchObject({
        version: 2,
        totals: { entered: 0 },
      });

      const metrics = await h.registry.metrics();
      expect(metrics).toContain(
        `canvas_step_users{canvas_id="${canvasId}",version="1",step_id="fb",metric="synced",service="api"} 2`,
      );
      expect(metrics).toContain(
        `canvas_step_users{canvas_id="${canvasId}",version="1",step_id="fb",metric="pending",service="api"} 1`,
      );
    },
  );

  it('answers for one user at a Facebook step, and 404 when the user never reached it', async () => {
    expect((await h.call('GET', `/v1/canvases/${canvasId}/steps/fb/users/nobody`)).statusCode).toBe(404);
    const account = await h.database.db.selectFrom('ad_accounts').selectAll().executeTakeFirstOrThrow();
    await h.database.db
      .insertInto('audience_entries')
      .values({
        meta_account_id: account.meta_account_id,
        ad_account_id: account.id,
        workspace_id: h.workspaceId,
        audience_id: '238',
        action: 'add',
        canvas_id: canvasId,
        version: 1,
        step_id: 'fb',
        user_id: 'u-1',
        entry_seq: 1,
        schema: ['EMAIL', 'PHONE'],
        row_values: ['a'.repeat(64), ''],
        status: 'pending',
        attempts: 2,
        next_attempt_at: new Date(),
        entered_at: new Date(),
        deadline_at: new Date(Date.now() + 3_600_000),
        last_error: JSON.stringify({
          code: 'META_TRANSIENT',
          classification: 'transient',
          message: 'HTTP 503',
          metaCode: 2,
          metaSubcode: null,
          fbtraceId: 'Axyz',
          at: new Date().toISOString(),
        }),
        sent_at: null,
      })
      .execute();
    const answer = await h.call('GET', `/v1/canvases/${canvasId}/steps/fb/users/u-1`);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({
      userId: 'u-1',
      entries: [
        {
          status: 'pending',
          attempts: 2,
          matchKeys: ['EMAIL', 'PHONE'],
          keysWithValues: ['EMAIL'],
          adAccountId: `act_${account.meta_account_id}`,
          lastError: { code: 'META_TRANSIENT', metaCode: 2, fbtraceId: 'Axyz' },
        },
      ],
    });
  });
});
