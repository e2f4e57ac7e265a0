import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

describe('launching value-based audiences and lookalikes', () => {
  let h: ApiHarness;
  let accountId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    const account = h.sandboxAccount();
    accountId = account.accountId;
    const connected = await h.call('POST', '/v1/ad-accounts', {
      adAccountId: accountId,
      accessToken: account.token,
      makeDefault: true,
    });
    expect(connected.statusCode).toBe(201);
  });
  afterAll(async () => h.close());

  /** An existing audience of the account, value-based or not. */
  const existing = (isValueBased: boolean) => {
    const { id } = h.sandbox.state.addAudience({
      accountId,
      name: 'Existing value audience',
      ...(isValueBased ? { isValueBased } : {}),
    });
    return id;
  };
  const launch = async (audience: Record<string, unknown>, lookalike?: Record<string, unknown>) => {
    const created = await h.call('POST', '/v1/canvases', {
      name: 'value-based',
      entry: { trigger: { event: 'purchased' } },
      firstStep: 'fb',
      steps: [
        {
          id: 'fb',
          kind: 'facebook_audience',
          audience,
          matchKeys: ['EMAIL'],
          ...(lookalike ? { lookalike } : {}),
          next: null,
        },
      ],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    return { id, launched: await h.call('POST', `/v1/canvases/${id}/launch`) };
  };

  it('creates the audience value-based, and records the lookalike its step asks for', async () => {
    const { id, launched } = await launch(
      { create: { name: 'Valued buyers', valueTrait: 'lifetime_value' } },
      { countries: ['US'], ratio: 0.03 },
    );
    expect(launched.statusCode).toBe(200);
    const canvas = launched.json<{
      audiences: { audienceId: string; valueTrait: string | null }[];
      lookalikes: { status: string; name: string; countries: string[]; ratio: number }[];
    }>();
    const audience = h.sandbox.state.audiences.get(canvas.audiences[0]!.audienceId);
    expect(audience).toMatchObject({ name: 'Valued buyers', subtype: 'CUSTOM', isValueBased: true });
    expect(canvas.audiences[0]?.valueTrait).toBe('lifetime_value');
    expect(canvas.lookalikes).toEqual([
      expect.objectContaining({
        status: 'waiting_for_source',
        name: 'Lookalike (US, 3%) - Valued buyers',
        countries: ['US'],
        ratio: 0.03,
      }),
    ]);
    // a canvas's list entry leaves its lookalikes out, as its audiences
    const listed = await h.call('GET', '/v1/canvases');
    expect(listed.json<{ data: Record<string, unknown>[] }>().data.find((c) => c.id === id)).not.toHaveProperty(
      'lookalikes',
    );
  });

  it.each([
    ['a value-based audience named without its trait', true, undefined, 'is value-based'],
    ['an audience that is not value-based named with a trait', false, 'ltv', 'is not value-based'],
  ])('refuses %s, before anything is sent', async (_what, isValueBased, valueTrait, said) => {
    const audienceId = existing(isValueBased);
    const { launched } = await launch({ id: audienceId, ...(valueTrait ? { valueTrait } : {}) });
    expect(launched.statusCode).toBe(422);
    expect(launched.json()).toMatchObject({
      code: 'LAUNCH_PREFLIGHT_FAILED',
      errors: [
        expect.objectContaining({
          code: 'audience_value_mismatch',
          path: '/steps/0/audience/valueTrait',
          message: expect.stringContaining(said),
        }),
      ],
    });
  });

  it('launches an existing value-based audience named with its trait', async () => {
    const { launched } = await launch({ id: existing(true), valueTrait: 'ltv' });
    expect(launched.statusCode).toBe(200);
  });

  it('refuses to make an audience created before value-based by adding a trait in a later version', async () => {
    const { id, launched } = await launch({ create: { name: 'Plain at first' } });
    expect(launched.statusCode).toBe(200);
    const canvas = await h.call('GET', `/v1/canvases/${id}`);
    const definition = canvas.json<{ definition: { steps: Record<string, unknown>[] } }>().definition;
    const steps = [{ ...definition.steps[0], audience: { create: { name: 'Plain at first', valueTrait: 'ltv' } } }];
    expect((await h.call('PUT', `/v1/canvases/${id}`, { ...definition, steps })).statusCode).toBe(200);
    const relaunched = await h.call('POST', `/v1/canvases/${id}/launch`);
    expect(relaunched.statusCode).toBe(422);
    expect(relaunched.json()).toMatchObject({
      errors: [
        expect.objectContaining({ code: 'audience_value_mismatch', path: '/steps/0/audience/create/valueTrait' }),
      ],
    });
  });

  it('shows the value trait and the lookalike in the OpenAPI document, each with an example', async () => {
    const document = JSON.stringify((await h.app.inject({ method: 'GET', url: '/openapi.json' })).json());
    expect(document).toContain('"examples":["lifetime_value"]');
    expect(document).toContain('"examples":[{"countries":["US","CA"],"ratio":0.01}]');
    expect(document).toContain('NO_LOOKALIKE_VALUE');
  });
});
