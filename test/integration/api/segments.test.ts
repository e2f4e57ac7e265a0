import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cartAbandonersSegmentExample, weeklySegmentCanvasExample } from '@canvas/canvas';
import { createWorkspaceWithKey } from '@canvas/api';
import {
  cartAbandonerIds,
  seedBehaviour,
  seedLaunchedCanvas,
  shoppers,
  startApiHarness,
  type ApiHarness,
} from '@canvas/test-support';
import { randomUUID } from 'node:crypto';

interface Estimate {
  members: number;
  matchableOnFacebook: number;
  byKey: Record<string, number>;
  candidatesEvaluated: number;
}

describe('segments', () => {
  let h: ApiHarness;
  const now = new Date();
  const users = shoppers(3000, now);

  beforeAll(async () => {
    h = await startApiHarness();
    await seedBehaviour(h.database.db, h.workspaceId, users);
  });
  afterAll(async () => h.close());

  const create = async (body: unknown = cartAbandonersSegmentExample) => {
    const response = await h.call('POST', '/v1/segments', body);
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; name: string; conditions: unknown }>();
  };

  it('creates, reads, lists page by page, edits and deletes a segment', async () => {
    const first = await create();
    const second = await create({ ...cartAbandonersSegmentExample, name: 'Second' });
    expect(first).toMatchObject({ name: 'Cart abandoners, US', conditions: cartAbandonersSegmentExample.conditions });
    expect((await h.call('GET', `/v1/segments/${first.id}`)).json()).toEqual(first);

    const page = (await h.call('GET', '/v1/segments?limit=1')).json<{ data: { id: string }[]; nextCursor: string }>();
    expect(page.data.map((s) => s.id)).toEqual([second.id]);
    const next = (await h.call('GET', `/v1/segments?limit=1&cursor=${page.nextCursor}`)).json<{
      data: { id: string }[];
    }>();
    expect(next.data.map((s) => s.id)).toEqual([first.id]);

    const edited = await h.call('PUT', `/v1/segments/${second.id}`, {
      ...cartAbandonersSegmentExample,
      name: 'Renamed',
    });
    expect(edited.json()).toMatchObject({ id: second.id, name: 'Renamed' });
    expect((await h.call('DELETE', `/v1/segments/${second.id}`)).statusCode).toBe(204);
    expect((await h.call('GET', `/v1/segments/${second.id}`)).statusCode).toBe(404);
  });

  it('reports every problem of a segment at its field, in validate and on create', async () => {
    const broken = {
      name: 'Broken',
      conditions: {
        all: [
          { profile: { field: 'country', op: 'eq', value: 'Atlantis' } },
          {
            behaviour: { did: true, event: 'x', window: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
          },
          { any: [{ all: [{ any: [{ all: [{ profile: { field: 'age', op: 'gte', value: 18 } }] }] }] }] },
          { reachability: { reachable: 'has_pigeon' } },
        ],
      },
    };
    const validation = await h.call('POST', '/v1/segments/validate', broken);
    expect(validation.json<{ valid: boolean }>().valid).toBe(false);
    const created = await h.call('POST', '/v1/segments', broken);
    expect(created.statusCode).toBe(422);
    expect(created.headers['content-type']).toContain('application/problem+json');
    const problems = created.json<{ code: string; errors: { code: string; path: string }[] }>();
    expect(problems.code).toBe('SEGMENT_INVALID');
    expect(problems.errors.map((e) => [e.code, e.path])).toEqual([
      ['invalid_value', '/body/conditions/all/3/reachability/reachable'],
    ]);
    const fixed = { ...broken, conditions: { all: broken.conditions.all.slice(0, 3) } };
    expect(
      (await h.call('POST', '/v1/segments', fixed))
        .json<{ errors: { code: string; path: string }[] }>()
        .errors.map((e) => [e.code, e.path]),
    ).toEqual([
      ['unknown_place', '/body/conditions/all/0/profile/value'],
      ['window_order', '/body/conditions/all/1/behaviour/window/to'],
      ['too_deep', '/body/conditions/all/2/any/0/all/0/any/0'],
    ]);
  });

  it(
    'estimates exactly the users an independent SQL count over the raw history ' + 'finds, and who Meta could match',
    async () => {
      const segment = await create();
      const expected = await cartAbandonerIds(h.database.db, h.workspaceId, now);
      const reachable = await cartAbandonerIds(h.database.db, h.workspaceId, now, { emailOrPhone: true });
      expect(expected.length).toBeGreaterThan(50);

      const all = (await h.call('POST', `/v1/segments/${segment.id}/estimate`)).json<Estimate>();
      expect(all.members).toBe(expected.length);
      // every user has an external id (the user id), so all of them are matchable on the default keys
      expect(all.matchableOnFacebook).toBe(expected.length);
      expect(all.byKey.EXTERN_ID).toBe(expected.length);
      // the rollup narrowed the candidates to users with a cart in the window
      expect(all.candidatesEvaluated).toBeLessThan(users.length);
      expect(all.candidatesEvaluated).toBeGreaterThanOrEqual(expected.length);

      const keyed = await h.call('POST', `/v1/segments/${segment.id}/estimate`, { matchKeys: ['EMAIL', 'PHONE'] });
      const byEmailOrPhone = keyed.json<Estimate>();
      expect(byEmailOrPhone.matchableOnFacebook).toBe(reachable.length);
      const withEmail = users.filter(
        (u) => expected.includes(u.userId) && String(u.traits.email).endsWith('@example.com'),
      );
      expect(byEmailOrPhone.byKey).toEqual({
        EMAIL: withEmail.length,
        PHONE: users.filter((u) => expected.includes(u.userId) && u.traits.phone !== undefined).length,
      });

      const unsaved = await h.call('POST', '/v1/segments/estimate', cartAbandonersSegmentExample);
      expect(unsaved.json<Estimate>().members).toBe(expected.length);
    },
  );

  it('refuses to delete a segment a running canvas enters, naming the canvas', async () => {
    const segment = await create();
    const canvasId = randomUUID();
    await seedLaunchedCanvas(h.database.db, {
      id: canvasId,
      workspaceId: h.workspaceId,
      definition: weeklySegmentCanvasExample(segment.id),
      audience: { adAccountId: randomUUID(), metaAccountId: '1', audienceId: '2' },
    });
    const refused = await h.call('DELETE', `/v1/segments/${segment.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'SEGMENT_IN_USE', detail: expect.stringContaining(canvasId) });
    expect((await h.call('POST', `/v1/canvases/${canvasId}/archive`)).statusCode).toBe(200);
    expect((await h.call('DELETE', `/v1/segments/${segment.id}`)).statusCode).toBe(204);
  });

  it('refuses to delete a segment an event-triggered canvas filters its entries by', async () => {
    const segment = await create();
    const canvasId = randomUUID();
    await seedLaunchedCanvas(h.database.db, {
      id: canvasId,
      workspaceId: h.workspaceId,
      definition: {
        name: 'checkouts by abandoners',
        entry: { trigger: { event: 'checkout_started' }, inSegment: segment.id },
        firstStep: 'end',
        steps: [{ id: 'end', kind: 'exit' }],
      },
    });
    const refused = await h.call('DELETE', `/v1/segments/${segment.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'SEGMENT_IN_USE', detail: expect.stringContaining(canvasId) });
  });

  it('refuses a canvas that both enters a segment and filters by one', async () => {
    const definition = weeklySegmentCanvasExample(randomUUID());
    const refused = await h.call('POST', '/v1/canvases/validate', {
      ...definition,
      entry: { ...definition.entry, inSegment: randomUUID() },
    });
    expect(refused.json()).toMatchObject({
      valid: false,
      problems: [expect.objectContaining({ code: 'entry_kind', path: '/body/entry/inSegment' })],
    });
  });

  it('stops a launch whose segment does not exist in the workspace', async () => {
    const canvas = await h.call('POST', '/v1/canvases', weeklySegmentCanvasExample(randomUUID()));
    expect(canvas.statusCode).toBe(201);
    const account = h.sandboxAccount();
    await h.call('POST', '/v1/ad-accounts', {
      adAccountId: account.accountId,
      accessToken: account.token,
      makeDefault: true,
    });
    const launch = await h.call('POST', `/v1/canvases/${canvas.json<{ id: string }>().id}/launch`);
    expect(launch.statusCode).toBe(422);
    expect(launch.json<{ errors: { code: string; path: string }[] }>().errors).toEqual([
      expect.objectContaining({ code: 'segment_not_found', path: '/entry/segment/segmentId' }),
    ]);
  });

  it("keeps segments to their workspace: another workspace's key sees, estimates and deletes nothing", async () => {
    const segment = await create();
    const other = await createWorkspaceWithKey(h.database.db, 'Other');
    for (const [method, url] of [
      ['GET', `/v1/segments/${segment.id}`],
      ['POST', `/v1/segments/${segment.id}/estimate`],
      ['DELETE', `/v1/segments/${segment.id}`],
    ] as const)
      expect((await h.call(method, url, undefined, other.apiKey)).statusCode).toBe(404);
    expect((await h.call('GET', '/v1/segments', undefined, other.apiKey)).json()).toEqual({
      data: [],
      nextCursor: null,
    });
    // the other workspace has no profiles: its estimate of the same conditions is empty
    const estimate = await h.call('POST', '/v1/segments/estimate', cartAbandonersSegmentExample, other.apiKey);
    expect(estimate.json<Estimate>().members).toBe(0);
  });
});

describe('segment estimates on a sample', () => {
  let h: ApiHarness;
  const now = new Date();
  const users = shoppers(12_000, now, 5);

  beforeAll(async () => {
    // a sample of 2,000 makes this 12,000-user workspace a "large" one
    h = await startApiHarness({ estimateSampleSize: 2_000 });
    await seedBehaviour(h.database.db, h.workspaceId, users);
  });
  afterAll(async () => h.close());

  it(
    'scales a systematic sample with a 95 % interval by default, and counts every ' + 'profile with ?exact=true',
    async () => {
      const created = await h.call('POST', '/v1/segments', cartAbandonersSegmentExample);
      const id = created.json<{ id: string }>().id;
      const expected = (await cartAbandonerIds(h.database.db, h.workspaceId, now)).length;

      const sampled = (await h.call('POST', `/v1/segments/${id}/estimate`)).json<SampledEstimate>();
      expect(sampled.exact).toBe(false);
      expect(sampled.sample!.ofProfiles).toBe(users.length);
      // 64 runs of 32 adjacent users
      expect(sampled.sample!.profiles).toBe(2_048);
      expect(sampled.candidatesEvaluated).toBe(2_048);
      const { low, high } = sampled.membersRange;
      expect(low).toBeLessThanOrEqual(sampled.members);
      expect(high).toBeGreaterThanOrEqual(sampled.members);
      // the true count lies within twice the half-width (about 4 standard errors)
      expect(Math.abs(sampled.members - expected)).toBeLessThanOrEqual(high - low);

      const exact = (await h.call('POST', `/v1/segments/${id}/estimate?exact=true`)).json<SampledEstimate>();
      expect(exact).toMatchObject({
        exact: true,
        sample: null,
        members: expected,
        membersRange: { low: expected, high: expected },
      });
      const unsaved = await h.call('POST', '/v1/segments/estimate?exact=true', cartAbandonersSegmentExample);
      expect(unsaved.json<SampledEstimate>().members).toBe(expected);
      const refused = await h.call('POST', '/v1/segments/estimate?exact=maybe', cartAbandonersSegmentExample);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    },
  );
});

interface SampledEstimate extends Estimate {
  exact: boolean;
  sample: { profiles: number; ofProfiles: number } | null;
  membersRange: { low: number; high: number };
}
