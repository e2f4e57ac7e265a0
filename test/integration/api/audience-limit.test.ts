import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

describe("audiences made at launch: Meta's 500-audience limit, the workspace's name prefix, unique names", () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => h.close());

  /** An account connected as the workspace's default, already holding `count` customer-file audiences. */
  const accountWithAudiences = async (count: number) => {
    const { accountId, token } = h.sandboxAccount();
    for (let i = 0; i < count; i += 1) {
      h.sandbox.state.addAudience({ accountId, name: `Existing ${i}` });
    }
    const connected = await h.call('POST', '/v1/ad-accounts', {
      adAccountId: accountId,
      accessToken: token,
      makeDefault: true,
    });
    expect(connected.statusCode).toBe(201);
    return accountId;
  };
  const twoAudienceCanvas = async () => {
    const step = (id: string, next: string | null) => ({
      id,
      kind: 'facebook_audience',
      audience: { create: { name: `Limit ${id}` } },
      matchKeys: ['EMAIL'],
      next,
    });
    const created = await h.call('POST', '/v1/canvases', {
      name: 'two new audiences',
      entry: { trigger: { event: 'signed_up' } },
      firstStep: 'a',
      steps: [step('a', 'b'), step('b', null)],
    });
    return created.json<{ id: string }>().id;
  };

  it('refuses the audience that would be the 501st, with the count, before Meta is asked', async () => {
    const accountId = await accountWithAudiences(499);
    const launched = await h.call('POST', `/v1/canvases/${await twoAudienceCanvas()}/launch`);
    expect(launched.statusCode).toBe(422);
    expect(launched.json()).toMatchObject({
      code: 'LAUNCH_PREFLIGHT_FAILED',
      errors: [
        {
          code: 'audience_limit_reached',
          path: '/steps/1/audience',
          message: expect.stringContaining(`act_${accountId} already has 500 customer-file custom audiences`),
        },
      ],
    });
    // the first step's audience was made (and is kept for a retry); Meta never refused a creation
    expect(h.sandbox.state.activeAudienceCount(accountId)).toBe(500);
    expect(h.sandbox.state.requests.filter((r) => r.metaCode === 2654)).toEqual([]);
  });

  it("explains Meta's own refusal the same way when the account filled up meanwhile", async () => {
    const accountId = await accountWithAudiences(3);
    h.sandbox.state.settings.maxAudiencesPerAccount = 4;
    try {
      const launched = await h.call('POST', `/v1/canvases/${await twoAudienceCanvas()}/launch`);
      expect(launched.statusCode).toBe(422);
      expect(launched.json()).toMatchObject({
        errors: [expect.objectContaining({ code: 'audience_limit_reached', path: '/steps/1/audience' })],
      });
      expect(h.sandbox.state.activeAudienceCount(accountId)).toBe(4);
    } finally {
      h.sandbox.state.settings.maxAudiencesPerAccount = 500;
    }
  });

  it(
    "puts the workspace's prefix before the names it creates, and refuses a name the " + 'account already has',
    async () => {
      const accountId = await accountWithAudiences(0);
      const patched = await h.call('PATCH', '/v1/workspace', { audienceNamePrefix: 'CA_' });
      expect(patched.json()).toMatchObject({ audienceNamePrefix: 'CA_' });
      const canvas = (name: string) => ({
        name,
        entry: { trigger: { event: 'signed_up' } },
        firstStep: 'fb',
        steps: [
          {
            id: 'fb',
            kind: 'facebook_audience',
            audience: { create: { name: 'Signups' } },
            matchKeys: ['EMAIL'],
            next: null,
          },
        ],
      });
      const first = (await h.call('POST', '/v1/canvases', canvas('first'))).json<{ id: string }>().id;
      expect((await h.call('POST', `/v1/canvases/${first}/launch`)).statusCode).toBe(200);
      const names = [...h.sandbox.state.audiences.values()].filter((a) => a.accountId === accountId).map((a) => a.name);
      expect(names).toEqual(['CA_Signups']);

      const second = (await h.call('POST', '/v1/canvases', canvas('second'))).json<{ id: string }>().id;
      const clash = await h.call('POST', `/v1/canvases/${second}/launch`);
      expect(clash.statusCode).toBe(422);
      expect(clash.json()).toMatchObject({
        errors: [
          {
            code: 'audience_name_taken',
            path: '/steps/0/audience/create/name',
            message: expect.stringContaining('"CA_Signups"'),
          },
        ],
      });
      // an edit of the launched canvas keeps its own audience: no clash with itself
      const edited = await h.call('PUT', `/v1/canvases/${first}`, { ...canvas('first, edited') });
      expect(edited.statusCode).toBe(200);
      expect((await h.call('POST', `/v1/canvases/${first}/launch`)).statusCode).toBe(200);
      expect((await h.call('PATCH', '/v1/workspace', { audienceNamePrefix: null })).json()).toMatchObject({
        audienceNamePrefix: null,
      });
      const bad = await h.call('PATCH', '/v1/workspace', { audienceNamePrefix: '' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({
        errors: expect.arrayContaining([expect.objectContaining({ path: '/body/audienceNamePrefix' })]),
      });
    },
  );
});
