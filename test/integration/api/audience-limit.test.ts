import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

describe("Meta's 500-audience limit at launch", () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => h.close());

  /** An account connected as the workspace's default, already holding `count` customer-file audiences. */
  const accountWithAudiences = async (count: number) => {
    const { accountId, token } = h.sandboxAccount();
    for (let i = 0; i < count; i += 1) {
      const id = h.sandbox.state.newAudienceId();
      h.sandbox.state.audiences.set(id, {
        id,
        accountId,
        name: `Existing ${i}`,
        description: '',
        subtype: 'CUSTOM',
        customerFileSource: 'USER_PROVIDED_ONLY',
        retentionDays: null,
        createdAt: Date.now(),
        updatedAt: Date.now(),
        deleted: false,
        members: new Map(),
        index: new Map(),
        addedAt: new Map(),
        sessions: new Map(),
      });
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
});
