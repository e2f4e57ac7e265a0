import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { abandonedCartCanvas, startApiHarness, type ApiHarness } from '@canvas/test-support';

interface CanvasView {
  id: string;
  name: string;
  status: string;
  liveVersion: number | null;
  latestVersion: number;
  hasUnlaunchedChanges: boolean;
  definition: { name: string; steps: unknown[] };
}

describe('canvases', () => {
  let h: ApiHarness;
  let accountId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    const account = h.sandboxAccount();
    accountId = account.accountId;
    expect(
      (await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: account.token })).statusCode,
    ).toBe(201);
  });
  afterAll(async () => h.close());

  const create = async (body: unknown = abandonedCartCanvas()) => {
    const response = await h.call('POST', '/v1/canvases', body);
    expect(response.statusCode).toBe(201);
    return response.json<CanvasView>();
  };

  it('creates a draft with defaults filled in', async () => {
    const canvas = await create();
    expect(canvas).toMatchObject({
      name: 'Abandoned cart',
      status: 'draft',
      liveVersion: null,
      latestVersion: 1,
      hasUnlaunchedChanges: true,
    });
    expect(canvas.definition).toMatchObject({
      entry: { filters: [], reentry: { policy: 'never' }, controlGroupPercent: 0 },
    });
  });

  it('reports every problem of an invalid canvas at once, with paths and stable codes', async () => {
    const invalid = {
      ...abandonedCartCanvas(),
      firstStep: 'nowhere',
      steps: [
        { id: 'wait', kind: 'delay', duration: '10s', next: 'ghost' },
        {
          id: 'fb',
          kind: 'facebook_audience',
          audience: { create: { name: 'x', description: 'd'.repeat(250) } },
          matchKeys: ['FN'],
          next: null,
        },
      ],
    };
    const response = await h.call('POST', '/v1/canvases', invalid);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      code: 'CANVAS_INVALID',
      errors: [{ code: 'too_long', path: '/body/steps/1/audience/create/description' }],
    });

    const graph = await h.call('POST', '/v1/canvases', {
      ...invalid,
      steps: [invalid.steps[0], { ...invalid.steps[1], audience: { id: '1' } }],
    });
    const codes = graph
      .json<{ errors: { code: string; path: string }[] }>()
      .errors.map((e) => `${e.code} ${e.path}`)
      .sort();
    expect(codes).toEqual([
      'no_entry /body/firstStep',
      'no_identifier_key /body/steps/1/matchKeys',
      'unknown_step /body/steps/0/next',
    ]);
  });

  it.each<[string, (base: ReturnType<typeof abandonedCartCanvas>) => unknown, string, string]>([
    ['required', (b) => ({ ...b, name: undefined }), 'required', '/body/name'],
    ['invalid_type', (b) => ({ ...b, steps: {} }), 'invalid_type', '/body/steps'],
    ['too_short', (b) => ({ ...b, name: '' }), 'too_short', '/body/name'],
    [
      'too_many',
      (b) => ({ ...b, steps: Array.from({ length: 201 }, (_, i) => ({ id: `s${i}`, kind: 'exit' })) }),
      'too_many',
      '/body/steps',
    ],
    ['unknown_field', (b) => ({ ...b, owner: 'me' }), 'unknown_field', '/body/owner'],
    [
      'invalid_value',
      (b) => ({ ...b, steps: [{ ...b.steps[0], duration: 'later' }, b.steps[1]] }),
      'invalid_value',
      '/body/steps/0/duration',
    ],
    [
      'unknown_match_key',
      (b) => ({ ...b, steps: [b.steps[0], { ...b.steps[1], matchKeys: ['EMAIL', 'SSN'] }] }),
      'unknown_match_key',
      '/body/steps/1/matchKeys/1',
    ],
    ['no_entry', (b) => ({ ...b, firstStep: 'x' }), 'no_entry', '/body/firstStep'],
    [
      'unknown_step',
      (b) => ({ ...b, steps: [{ ...b.steps[0], next: 'x' }, b.steps[1]] }),
      'unknown_step',
      '/body/steps/0/next',
    ],
    [
      'duplicate_step',
      (b) => ({ ...b, steps: [...b.steps, { id: 'fb', kind: 'exit' }] }),
      'duplicate_step',
      '/body/steps/2/id',
    ],
    [
      'unreachable_step',
      (b) => ({ ...b, steps: [...b.steps, { id: 'alone', kind: 'exit' }] }),
      'unreachable_step',
      '/body/steps/2',
    ],
    ['cycle', (b) => ({ ...b, steps: [b.steps[0], { ...b.steps[1], next: 'wait' }] }), 'cycle', '/body/steps/1/next'],
    [
      'percentages_sum',
      (b) => ({
        ...b,
        firstStep: 'ab',
        steps: [
          {
            id: 'ab',
            kind: 'random_split',
            paths: [
              { percent: 60, next: null },
              { percent: 60, next: null },
            ],
          },
        ],
      }),
      'percentages_sum',
      '/body/steps/0/paths',
    ],
    [
      'too_long',
      (b) => ({
        ...b,
        steps: [b.steps[0], { ...b.steps[1], audience: { create: { name: 'x', description: 'y'.repeat(201) } } }],
      }),
      'too_long',
      '/body/steps/1/audience/create/description',
    ],
    [
      'delay_spec',
      (b) => ({ ...b, steps: [{ id: 'wait', kind: 'delay', next: 'fb' }, b.steps[1]] }),
      'delay_spec',
      '/body/steps/0',
    ],
    [
      'invalid_timezone',
      (b) => ({
        ...b,
        steps: [
          { id: 'wait', kind: 'delay', until: { time: '09:00', timezone: 'Nowhere/City' }, next: 'fb' },
          b.steps[1],
        ],
      }),
      'invalid_timezone',
      '/body/steps/0/until/timezone',
    ],
    [
      'no_identifier_key',
      (b) => ({ ...b, steps: [b.steps[0], { ...b.steps[1], matchKeys: ['FN'] }] }),
      'no_identifier_key',
      '/body/steps/1/matchKeys',
    ],
    [
      'duplicate_match_key',
      (b) => ({ ...b, steps: [b.steps[0], { ...b.steps[1], matchKeys: ['PHONE', 'PHONE'] }] }),
      'duplicate_match_key',
      '/body/steps/1/matchKeys/1',
    ],
    [
      'schedule_order',
      (b) => ({
        ...b,
        entry: { ...b.entry, schedule: { startAt: '2027-01-02T00:00:00Z', endAt: '2027-01-01T00:00:00Z' } },
      }),
      'schedule_order',
      '/body/entry/schedule/endAt',
    ],
    [
      'unknown_place',
      (b) => ({ ...b, entry: { ...b.entry, filters: [{ field: 'country', op: 'eq', value: 'Atlantis' }] } }),
      'unknown_place',
      '/body/entry/filters/0/value',
    ],
  ])('answers %s with 422, the code and the path', async (_name, change, code, path) => {
    const response = await h.call('POST', '/v1/canvases', change(abandonedCartCanvas()));
    expect(response.statusCode).toBe(422);
    expect(response.json<{ code: string; errors: { code: string; path: string }[] }>()).toMatchObject({
      code: 'CANVAS_INVALID',
      errors: expect.arrayContaining([expect.objectContaining({ code, path })]),
    });
  });

  it(
    'answers a stored version this engine cannot read with CANVAS_UNREADABLE and the ' + 'reason, not a bare 500',
    async () => {
      const created = (await h.call('POST', '/v1/canvases', abandonedCartCanvas())).json<{ id: string }>();
      await sql`
      UPDATE canvas_versions SET definition = '{"schemaVersion": 99}'::jsonb
      WHERE canvas_id = ${created.id}`.execute(h.database.db);
      const response = await h.call('GET', `/v1/canvases/${created.id}`);
      expect(response.statusCode).toBe(500);
      expect(response.json()).toMatchObject({
        code: 'CANVAS_UNREADABLE',
        detail: expect.stringContaining('schemaVersion 99 is newer'),
      });
    },
  );

  it('validates without saving', async () => {
    const before = (await h.call('GET', '/v1/canvases')).json<{ data: unknown[] }>().data.length;
    const ok = await h.call('POST', '/v1/canvases/validate', abandonedCartCanvas());
    expect(ok.json()).toEqual({ valid: true, problems: [] });
    const bad = await h.call('POST', '/v1/canvases/validate', { ...abandonedCartCanvas(), firstStep: 'x' });
    expect(bad.json()).toMatchObject({ valid: false, problems: [{ code: 'no_entry', path: '/body/firstStep' }] });
    expect((await h.call('GET', '/v1/canvases')).json<{ data: unknown[] }>().data.length).toBe(before);
  });

  it('lists newest first, pages with a cursor and filters by status', async () => {
    for (let i = 0; i < 3; i += 1) await create(abandonedCartCanvas({ name: `page ${i}` }));
    const first = (await h.call('GET', '/v1/canvases?limit=2')).json<{
      data: CanvasView[];
      nextCursor: string | null;
    }>();
    expect(first.data.map((c) => c.name)).toEqual(['page 2', 'page 1']);
    const second = (await h.call('GET', `/v1/canvases?limit=2&cursor=${first.nextCursor}`)).json<{
      data: CanvasView[];
    }>();
    expect(second.data[0]?.name).toBe('page 0');
    const running = (await h.call('GET', '/v1/canvases?status=running')).json<{ data: CanvasView[] }>();
    expect(running.data.every((c) => c.status === 'running')).toBe(true);
  });

  it('edits a draft in place, launches it (creating the audience), and versions later edits', async () => {
    const canvas = await create();
    const edited = await h.call(
      'PUT',
      `/v1/canvases/${canvas.id}`,
      abandonedCartCanvas({ name: 'Renamed', delay: '20s' }),
    );
    expect(edited.json()).toMatchObject({ name: 'Renamed', latestVersion: 1, status: 'draft' });

    const launched = await h.call('POST', `/v1/canvases/${canvas.id}/launch`);
    expect(launched.statusCode).toBe(200);
    expect(launched.json()).toMatchObject({
      status: 'running',
      liveVersion: 1,
      latestVersion: 1,
      hasUnlaunchedChanges: false,
    });
    const audiences = [...h.sandbox.state.audiences.values()].filter(
      (a) => a.name === 'Abandoned_Cart_30_Days' && a.accountId === accountId,
    );
    expect(audiences).toHaveLength(1);
    expect(audiences[0]?.description).toBe('Added to cart, did not buy');
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/launch`)).json()).toMatchObject({
      code: 'CANVAS_ALREADY_LIVE',
    });

    const v2 = await h.call('PUT', `/v1/canvases/${canvas.id}`, abandonedCartCanvas({ name: 'Renamed', delay: '30s' }));
    expect(v2.json()).toMatchObject({
      status: 'running',
      liveVersion: 1,
      latestVersion: 2,
      hasUnlaunchedChanges: true,
    });
    await h.call('PUT', `/v1/canvases/${canvas.id}`, abandonedCartCanvas({ name: 'Renamed', delay: '40s' }));
    expect((await h.call('GET', `/v1/canvases/${canvas.id}`)).json()).toMatchObject({ latestVersion: 2 });

    expect((await h.call('POST', `/v1/canvases/${canvas.id}/launch`)).json()).toMatchObject({
      liveVersion: 2,
      latestVersion: 2,
    });
    // the same step keeps writing to the audience created for version 1
    expect(
      [...h.sandbox.state.audiences.values()].filter(
        (a) => a.name === 'Abandoned_Cart_30_Days' && a.accountId === accountId,
      ),
    ).toHaveLength(1);
    const versions = (await h.call('GET', `/v1/canvases/${canvas.id}/versions`)).json<{
      data: { version: number; state: string }[];
    }>().data;
    expect(versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'superseded'],
      [2, 'live'],
    ]);
    const v1 = await h.call('GET', `/v1/canvases/${canvas.id}/versions/1`);
    expect(v1.json()).toMatchObject({
      version: 1,
      state: 'superseded',
      definition: { steps: [{ id: 'wait', duration: '20s' }, { id: 'fb' }] },
    });
    expect((await h.call('GET', `/v1/canvases/${canvas.id}/versions/9`)).statusCode).toBe(404);
  });

  it('pauses, resumes and archives, refusing transitions that make no sense', async () => {
    // its own audience name: names stay unique per ad account
    const canvas = await create(abandonedCartCanvas({ audienceName: 'Pause_Resume_Archive' }));
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/pause`)).json()).toMatchObject({
      code: 'CANVAS_STATE_CONFLICT',
    });
    await h.call('POST', `/v1/canvases/${canvas.id}/launch`);
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/pause`)).json()).toMatchObject({ status: 'paused' });
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/pause`)).statusCode).toBe(409);
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/resume`)).json()).toMatchObject({ status: 'running' });
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/archive`)).json()).toMatchObject({ status: 'archived' });
    expect((await h.call('PUT', `/v1/canvases/${canvas.id}`, abandonedCartCanvas())).json()).toMatchObject({
      code: 'CANVAS_ARCHIVED',
    });
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/launch`)).json()).toMatchObject({
      code: 'CANVAS_ARCHIVED',
    });
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/resume`)).statusCode).toBe(409);
  });

  it('refuses to launch with problems: unknown account, terms not accepted, missing audience', async () => {
    const tos = h.sandboxAccount({ tosAccepted: true });
    await h.call('POST', '/v1/ad-accounts', { adAccountId: tos.accountId, accessToken: tos.token });
    h.sandbox.state.accounts.get(tos.accountId)!.tosAccepted = false;
    const canvas = await create({
      ...abandonedCartCanvas(),
      steps: [
        { id: 'wait', kind: 'delay', duration: '10s', next: 'a' },
        {
          id: 'a',
          kind: 'facebook_audience',
          adAccountId: 'act_424242',
          audience: { id: '777' },
          matchKeys: ['EMAIL'],
          next: 'b',
        },
        {
          id: 'b',
          kind: 'facebook_audience',
          adAccountId: `act_${tos.accountId}`,
          audience: { id: '777' },
          matchKeys: ['EMAIL'],
          next: 'c',
        },
        { id: 'c', kind: 'facebook_audience', audience: { id: '238000000000999' }, matchKeys: ['EMAIL'], next: null },
      ],
    });
    const response = await h.call('POST', `/v1/canvases/${canvas.id}/launch`);
    expect(response.statusCode).toBe(422);
    expect(
      response.json<{ errors: { code: string; path: string }[] }>().errors.map((e) => `${e.code} ${e.path}`),
    ).toEqual([
      'ad_account_not_connected /steps/1/adAccountId',
      'tos_not_accepted /steps/2/adAccountId',
      'audience_not_found /steps/3/audience',
    ]);
    const accounts = (await h.call('GET', '/v1/ad-accounts')).json<{
      data: { adAccountId: string; status: string }[];
    }>().data;
    expect(accounts.find((a) => a.adAccountId === `act_${tos.accountId}`)?.status).toBe('tos_not_accepted');
    expect((await h.call('GET', `/v1/canvases/${canvas.id}`)).json()).toMatchObject({ status: 'draft' });
  });

  it('launches with an existing audience of the default account', async () => {
    const audienceId = (
      await h.graph.createCustomAudience(h.sandbox.state.createToken({}).token, accountId, { name: 'VIP' })
    ).data.id;
    const canvas = await create({
      ...abandonedCartCanvas(),
      steps: [
        { id: 'wait', kind: 'delay', duration: '1s', next: 'fb' },
        { id: 'fb', kind: 'facebook_audience', audience: { id: audienceId }, matchKeys: ['EMAIL'], next: null },
      ],
    });
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/launch`)).json()).toMatchObject({ status: 'running' });
  });
});
