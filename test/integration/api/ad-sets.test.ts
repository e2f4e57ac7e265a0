import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { audienceStep, removalStep, startApiHarness, type ApiHarness } from '@canvas/test-support';

interface CanvasAnswer {
  id: string;
  status: string;
  audiences: {
    stepId: string;
    audienceId: string;
    created: boolean;
    fromStep: string | null;
    linkedAdSets: string[];
  }[];
}

describe('linking a Facebook step’s audience to ad sets, and audiences made before launch', () => {
  let h: ApiHarness;
  let accountId: string;
  let token: string;
  let connectionId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    ({ accountId, token } = h.sandboxAccount());
    const connected = await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token });
    connectionId = connected.json<{ id: string }>().id;
  });
  afterAll(async () => h.close());

  const canvas = async (name: string, steps: unknown[]) => {
    const created = await h.call('POST', '/v1/canvases', {
      name,
      entry: { trigger: { event: 'added_to_cart' } },
      firstStep: 'add',
      steps,
    });
    expect(created.statusCode).toBe(201);
    return created.json<{ id: string }>().id;
  };
  const addStep = (audienceName: string, adSetIds: string[], next: string | null = null) =>
    audienceStep('add', audienceName, ['EMAIL'], next, { adSetIds });
  /** Add at entry, wait, then remove from the same audience. */
  const roundTrip = (wait: string) => [
    addStep('Carts round trip', [], 'wait'),
    { id: 'wait', kind: 'delay', duration: wait, next: 'remove' },
    removalStep('remove', 'add', ['EMAIL']),
  ];
  const targetingOf = (id: string) => h.sandbox.state.adSets.get(id)?.targeting;

  it(
    'adds the audience to each ad set, keeping the rest of its targeting, even when ' + 'the ad set changes meanwhile',
    async () => {
      const { data: buyers } = await h.graph.createCustomAudience(token, accountId, { name: 'Buyers' });
      const original = {
        geo_locations: { countries: ['US', 'CA'] },
        age_min: 25,
        custom_audiences: [{ id: buyers.id, name: 'Buyers' }],
        flexible_spec: [{ interests: [{ id: '6003139266461', name: 'Shoes' }] }],
      };
      const calm = h.sandbox.state.createAdSet({ accountId, name: 'Retargeting', targeting: original });
      const busy = h.sandbox.state.createAdSet({ accountId, name: 'Prospecting', targeting: { age_min: 18 } });
      // another tool changes the second ad set between the link's read and its write (preflight reads it once before)
      busy.pendingEdit = { afterReads: 2, targeting: { age_max: 45 } };

      const listed = await h.call('GET', `/v1/ad-accounts/${connectionId}/ad-sets`);
      expect(listed.statusCode).toBe(200);
      expect(listed.json<{ data: unknown[] }>().data).toEqual(
        expect.arrayContaining([
          { id: calm.id, name: 'Retargeting', status: 'ACTIVE', customAudiences: [{ id: buyers.id, name: 'Buyers' }] },
          { id: busy.id, name: 'Prospecting', status: 'ACTIVE', customAudiences: [] },
        ]),
      );

      const id = await canvas('linked', [addStep('Carts linked', [calm.id, busy.id])]);
      const launched = await h.call('POST', `/v1/canvases/${id}/launch`);
      expect(launched.statusCode).toBe(200);
      const audience = launched.json<CanvasAnswer>().audiences[0]!;
      expect(audience.linkedAdSets.sort()).toEqual([calm.id, busy.id].sort());

      expect(targetingOf(calm.id)).toEqual({
        ...original,
        custom_audiences: [
          { id: buyers.id, name: 'Buyers' },
          { id: audience.audienceId, name: 'Carts linked' },
        ],
      });
      // the change made meanwhile survives: the link noticed it before writing, read and merged again
      const reads = h.sandbox.state.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${busy.id}`));
      expect(reads).toHaveLength(5); // preflight, read + check that found the change, read + check
      expect(targetingOf(busy.id)).toEqual({
        age_min: 18,
        age_max: 45,
        custom_audiences: [{ id: audience.audienceId, name: 'Carts linked' }],
      });
    },
  );

  it('explains unusable ad sets at preflight and changes nothing at Meta', async () => {
    const other = h.sandboxAccount();
    const foreign = h.sandbox.state.createAdSet({ accountId: other.accountId });
    // the token reaches the other account too, so Meta answers; the ad set is just not this account's
    h.sandbox.state.tokens.get(token)!.adAccounts = [accountId, other.accountId];
    const audiencesBefore = h.sandbox.state.audiences.size;
    const id = await canvas('bad ad sets', [addStep('Carts unlinked', ['120999999999999999', foreign.id])]);
    const launched = await h.call('POST', `/v1/canvases/${id}/launch`);
    expect(launched.statusCode).toBe(422);
    expect(launched.json()).toMatchObject({
      code: 'LAUNCH_PREFLIGHT_FAILED',
      errors: [
        { code: 'ad_set_not_found', path: '/steps/0/adSetIds/0' },
        { code: 'ad_set_other_account', path: '/steps/0/adSetIds/1' },
      ],
    });
    expect(h.sandbox.state.audiences.size).toBe(audiencesBefore);
    expect(foreign.targeting).toEqual({ geo_locations: { countries: ['US'] } });
  });

  it(
    'stops the launch when Meta refuses a link, keeps the links made, and finishes ' + 'them on the next launch',
    async () => {
      const first = h.sandbox.state.createAdSet({ accountId, name: 'First' });
      const second = h.sandbox.state.createAdSet({ accountId, name: 'Second' });
      h.sandbox.state.faults.add({
        kind: 'error',
        code: 100,
        message: '(#100) Invalid parameter',
        count: 1,
        match: { method: 'POST', pathContains: second.id },
      });
      const id = await canvas('half linked', [addStep('Carts half', [first.id, second.id])]);
      const refused = await h.call('POST', `/v1/canvases/${id}/launch`);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({
        code: 'AD_SET_LINK_FAILED',
        errors: [{ code: 'ad_set_link_failed', path: '/steps/0/adSetIds/1' }],
      });
      const draft = (await h.call('GET', `/v1/canvases/${id}`)).json<CanvasAnswer>();
      expect(draft.status).toBe('draft');
      expect(draft.audiences[0]?.linkedAdSets).toEqual([first.id]);

      const launched = await h.call('POST', `/v1/canvases/${id}/launch`);
      expect(launched.statusCode).toBe(200);
      const audienceId = draft.audiences[0]!.audienceId;
      for (const adSet of [first, second])
        expect(
          (targetingOf(adSet.id)?.custom_audiences as { id: string }[]).filter((a) => a.id === audienceId),
        ).toHaveLength(1);
    },
  );

  it('creates a draft’s audiences before launch, and a later step removes from the same audience', async () => {
    const id = await canvas('add then remove', roundTrip('1d'));
    const made = await h.call('POST', `/v1/canvases/${id}/audiences`);
    expect(made.statusCode).toBe(200);
    const audiences = made.json<{ audiences: CanvasAnswer['audiences'] }>().audiences;
    const add = audiences.find((a) => a.stepId === 'add')!;
    expect(add).toMatchObject({ created: true, fromStep: null });
    expect(audiences.find((a) => a.stepId === 'remove')).toMatchObject({
      audienceId: add.audienceId,
      created: false,
      fromStep: 'add',
    });
    // it is in Meta before launch, and asking again creates nothing more
    expect(h.sandbox.state.audiences.get(add.audienceId)?.name).toBe('Carts round trip');
    const count = h.sandbox.state.audiences.size;
    expect((await h.call('POST', `/v1/canvases/${id}/audiences`)).statusCode).toBe(200);
    expect((await h.call('POST', `/v1/canvases/${id}/launch`)).statusCode).toBe(200);
    expect(h.sandbox.state.audiences.size).toBe(count);
    const live = (await h.call('GET', `/v1/canvases/${id}`)).json<CanvasAnswer>();
    expect(new Set(live.audiences.map((a) => a.audienceId))).toEqual(new Set([add.audienceId]));

    // a second version keeps the audience for both steps
    const edited = await h.call('PUT', `/v1/canvases/${id}`, {
      name: 'add then remove',
      entry: { trigger: { event: 'added_to_cart' } },
      firstStep: 'add',
      steps: roundTrip('2d'),
    });
    expect(edited.statusCode).toBe(200);
    const relaunched = await h.call('POST', `/v1/canvases/${id}/launch`);
    expect(relaunched.statusCode).toBe(200);
    expect(new Set(relaunched.json<CanvasAnswer>().audiences.map((a) => a.audienceId))).toEqual(
      new Set([add.audienceId]),
    );
    expect(h.sandbox.state.audiences.size).toBe(count);
  });

  it('paces ad set calls by their own ads_management quota and stops calling Meta while it is used up', async () => {
    const other = h.sandboxAccount();
    const connected = await h.call('POST', '/v1/ad-accounts', {
      adAccountId: other.accountId,
      accessToken: other.token,
    });
    const otherConnection = connected.json<{ id: string }>().id;
    const quota = h.sandbox.state.settings.adsManagementQuota;
    h.sandbox.state.settings.adsManagementQuota = 1;
    try {
      const list = () => h.call('GET', `/v1/ad-accounts/${otherConnection}/ad-sets`);
      expect((await list()).statusCode).toBe(200);
      const refused = await list();
      expect([refused.statusCode, refused.json<{ code: string }>().code]).toEqual([503, 'META_UNAVAILABLE']);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
      // the pacer refuses the next one itself: Meta saw two ad set calls, not three
      expect((await list()).statusCode).toBe(503);
      const calls = h.sandbox.state.requests.filter((r) => r.path.endsWith(`act_${other.accountId}/adsets`));
      expect(calls.map((r) => r.metaCode ?? r.status)).toEqual([200, 80004]);
    } finally {
      h.sandbox.state.settings.adsManagementQuota = quota;
    }
  });
});
