import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { cartAbandonersSegmentExample } from '@canvas/canvas';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

interface Resync {
  id: string;
  canvasId: string;
  stepId: string;
  status: string;
  requestedBy: string;
  runScheduledAt: string | null;
  audienceId: string;
}
interface Problem {
  code: string;
  steps: string[];
  audienceId: string | null;
  message: string;
  hint: string;
}

describe('resyncs of a following step', () => {
  let h: ApiHarness;
  let segmentId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    const account = h.sandboxAccount();
    const connected = await h.call('POST', '/v1/ad-accounts', {
      adAccountId: account.accountId,
      accessToken: account.token,
      makeDefault: true,
    });
    expect(connected.statusCode).toBe(201);
    const segment = await h.call('POST', '/v1/segments', cartAbandonersSegmentExample);
    expect(segment.statusCode).toBe(201);
    segmentId = segment.json<{ id: string }>().id;
  });
  afterAll(async () => h.close());

  const following = (name: string, audience: unknown, extra: Record<string, unknown> = {}) => ({
    name,
    entry: {
      segment: { segmentId, runs: { kind: 'recurring', every: 'day', time: '09:00', timeZone: 'UTC' } },
      reentry: { policy: 'after_cooldown', cooldown: '0s' },
    },
    firstStep: 'fb',
    steps: [
      {
        id: 'fb',
        kind: 'facebook_audience',
        audience,
        matchKeys: ['EMAIL'],
        followSegment: true,
        next: 'plain',
        ...extra,
      },
      {
        id: 'plain',
        kind: 'facebook_audience',
        audience: { create: { name: `${name}_plain` } },
        matchKeys: ['EMAIL'],
        next: null,
      },
    ],
  });
  const launched = async (definition: unknown) => {
    const created = await h.call('POST', '/v1/canvases', definition);
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await h.call('POST', `/v1/canvases/${id}/launch`)).statusCode).toBe(200);
    return id;
  };
  const resync = (canvasId: string, stepId = 'fb') => h.call('POST', `/v1/canvases/${canvasId}/steps/${stepId}/resync`);
  const problemsOf = async (canvasId: string) =>
    (await h.call('GET', `/v1/canvases/${canvasId}`)).json<{ accountProblems: Problem[] }>().accountProblems;
  const setStatus = (id: string, status: string, extra = sql``) =>
    sql`UPDATE audience_resyncs SET status = ${status}, finished_at = now(), batches = 3, batches_sent = 1,
      session_id = (random() * 1e12)::bigint + 1, stage = 'uploading' ${extra} WHERE id = ${id}`.execute(h.database.db);

  it(
    'starts one resync at a time, after a segment run it schedules now, and lists them newest first; ' +
      'an unconfirmed or failed one is a canvas problem with what to do',
    async () => {
      const canvasId = await launched(following('Mirror', { create: { name: 'Mirror_Audience' } }));
      const first = await resync(canvasId);
      expect(first.statusCode).toBe(202);
      const started = first.json<Resync>();
      expect(started).toMatchObject({ canvasId, stepId: 'fb', status: 'waiting', requestedBy: expect.any(String) });
      expect(started.runScheduledAt).not.toBeNull();
      const runs = await sql<{ status: string }>`
        SELECT status FROM segment_runs
        WHERE canvas_id = ${canvasId} AND scheduled_at = ${started.runScheduledAt}`.execute(h.database.db);
      expect(runs.rows).toEqual([{ status: 'pending' }]);

      const again = await resync(canvasId);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'RESYNC_RUNNING', detail: expect.stringContaining(started.id) });
      expect(await problemsOf(canvasId)).toEqual([]);

      await setStatus(started.id, 'unconfirmed');
      const unconfirmed = await problemsOf(canvasId);
      expect(unconfirmed).toEqual([
        expect.objectContaining({
          code: 'audience_resync_unconfirmed',
          steps: ['fb'],
          audienceId: started.audienceId,
          hint: expect.stringContaining(`/v1/canvases/${canvasId}/steps/fb/resync`),
        }),
      ]);

      // the next resync may start; once it fails, the problem says so
      const second = (await resync(canvasId)).json<Resync>();
      await setStatus(
        second.id,
        'failed',
        sql`, last_error = ${JSON.stringify({ code: 'META_PERMISSION', message: 'no permission', at: new Date() })}`,
      );
      expect(await problemsOf(canvasId)).toEqual([
        expect.objectContaining({ code: 'audience_resync_failed', message: expect.stringContaining('no permission') }),
      ]);
      const listed = await h.call('GET', `/v1/canvases/${canvasId}/steps/fb/resyncs`);
      expect(listed.statusCode).toBe(200);
      expect(listed.json<{ data: Resync[] }>().data.map((r) => [r.id, r.status])).toEqual([
        [second.id, 'failed'],
        [started.id, 'unconfirmed'],
      ]);
    },
  );

  it('uploads the members as they are on a paused canvas: no run is scheduled', async () => {
    const canvasId = await launched(following('Paused', { create: { name: 'Paused_Audience' } }));
    expect((await h.call('POST', `/v1/canvases/${canvasId}/pause`)).statusCode).toBe(200);
    const paused = await resync(canvasId);
    expect(paused.statusCode).toBe(202);
    expect(paused.json<Resync>()).toMatchObject({ status: 'waiting', runScheduledAt: null });
  });

  it('refuses steps that do not follow, audiences other steps use, and canvases not launched', async () => {
    const canvasId = await launched(following('Refusals', { create: { name: 'Refusals_Audience' } }));
    expect((await resync(canvasId, 'plain')).json()).toMatchObject({ status: 422, code: 'STEP_NOT_FOLLOWING' });
    expect((await resync(canvasId, 'nope')).statusCode).toBe(404);
    expect((await resync('7f1c1a52-8a1f-4a57-9a49-2f0f3c1d7e11')).statusCode).toBe(404);

    // another canvas's step on the same audience: a replace would take its users out
    const audienceId = (await h.call('GET', `/v1/canvases/${canvasId}`))
      .json<{ audiences: { stepId: string; audienceId: string }[] }>()
      .audiences.find((a) => a.stepId === 'fb')!.audienceId;
    const sharing = await launched(following('Sharing', { id: audienceId }));
    const shared = await resync(sharing);
    expect(shared.json()).toMatchObject({ status: 422, code: 'AUDIENCE_SHARED' });
    expect(shared.json<{ detail: string }>().detail).toContain(canvasId);

    const draft = await h.call('POST', '/v1/canvases', following('Draft', { create: { name: 'Draft_Audience' } }));
    const drafted = await resync(draft.json<{ id: string }>().id);
    expect(drafted.json()).toMatchObject({ status: 409, code: 'CANVAS_STATE_CONFLICT' });
  });

  it('accepts a step resynced after each run only when it follows the segment', async () => {
    const valid = await h.call(
      'POST',
      '/v1/canvases/validate',
      following('Each run', { create: { name: 'E' } }, { resync: 'each_run' }),
    );
    expect(valid.json()).toEqual({ valid: true, problems: [] });
    const invalid = await h.call(
      'POST',
      '/v1/canvases/validate',
      following('Each run', { create: { name: 'E' } }, { resync: 'each_run', followSegment: false }),
    );
    expect(invalid.json()).toMatchObject({
      valid: false,
      problems: [{ code: 'follow_segment', path: '/body/steps/0/resync' }],
    });
  });
});
