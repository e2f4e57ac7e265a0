import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

interface Operation {
  requestBody?: { content: Record<string, { example?: unknown; schema?: unknown }> };
}

describe('request examples in the OpenAPI document', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness({ facebookLogin: true });
    // the accounts and token the examples name, as make dev's sandbox has them
    h.sandbox.state.createAccount({ id: '1234567890', name: 'Example account' });
    h.sandbox.state.createAccount({ id: '2345678901', name: 'Second example account' });
    h.sandbox.state.createToken({ token: 'EAAB-example-token-0001', adAccounts: ['1234567890'] });
  });
  afterAll(async () => h.close());

  it('gives every request body an example that the API accepts as it is', async () => {
    const document = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const withBodies = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.requestBody !== undefined)
        .map(([method, op]) => ({
          path,
          method: method.toUpperCase(),
          example: op.requestBody?.content['application/json']?.example,
        })),
    );
    expect(withBodies.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'PATCH /v1/workspace',
      'POST /v1/ad-accounts',
      'POST /v1/api-keys',
      'POST /v1/canvases',
      'POST /v1/canvases/validate',
      'POST /v1/canvases/{id}/dry-run',
      'POST /v1/canvases/{id}/steps/{stepId}/redrive',
      'POST /v1/erasures',
      'POST /v1/facebook-login/{id}/connect',
      'POST /v1/segments',
      'POST /v1/segments/estimate',
      'POST /v1/segments/validate',
      'POST /v1/segments/{id}/estimate',
      'PUT /v1/ad-accounts/{id}/token',
      'PUT /v1/canvases/{id}',
      'PUT /v1/segments/{id}',
    ]);
    for (const o of withBodies) expect([o.method, o.path, o.example === undefined]).toEqual([o.method, o.path, false]);

    const example = (method: string, path: string) =>
      withBodies.find((o) => o.method === method && o.path === path)!.example;
    // in an order that makes the ids the path needs
    const account = await h.call('POST', '/v1/ad-accounts', example('POST', '/v1/ad-accounts'));
    expect(account.statusCode).toBe(201);
    const accountId = account.json<{ id: string }>().id;
    expect(
      (await h.call('PUT', `/v1/ad-accounts/${accountId}/token`, example('PUT', '/v1/ad-accounts/{id}/token')))
        .statusCode,
    ).toBe(200);
    expect((await h.call('POST', '/v1/api-keys', example('POST', '/v1/api-keys'))).statusCode).toBe(201);
    const validation = await h.call('POST', '/v1/canvases/validate', example('POST', '/v1/canvases/validate'));
    expect(validation.json()).toEqual({ valid: true, problems: [] });
    const canvas = await h.call('POST', '/v1/canvases', example('POST', '/v1/canvases'));
    expect(canvas.statusCode).toBe(201);
    const edited = await h.call(
      'PUT',
      `/v1/canvases/${canvas.json<{ id: string }>().id}`,
      example('PUT', '/v1/canvases/{id}'),
    );
    expect(edited.statusCode).toBe(200);
    const dryRun = await h.call(
      'POST',
      `/v1/canvases/${canvas.json<{ id: string }>().id}/dry-run`,
      example('POST', '/v1/canvases/{id}/dry-run'),
    );
    expect(dryRun.statusCode).toBe(202);
    const redrive = await h.call(
      'POST',
      `/v1/canvases/${canvas.json<{ id: string }>().id}/steps/fb/redrive`,
      example('POST', '/v1/canvases/{id}/steps/{stepId}/redrive'),
    );
    expect(redrive.statusCode).toBe(202);

    expect((await h.call('POST', '/v1/segments/validate', example('POST', '/v1/segments/validate'))).json()).toEqual({
      valid: true,
      problems: [],
    });
    expect((await h.call('POST', '/v1/segments/estimate', example('POST', '/v1/segments/estimate'))).statusCode).toBe(
      200,
    );
    const segment = await h.call('POST', '/v1/segments', example('POST', '/v1/segments'));
    expect(segment.statusCode).toBe(201);
    const segmentId = segment.json<{ id: string }>().id;
    expect((await h.call('PUT', `/v1/segments/${segmentId}`, example('PUT', '/v1/segments/{id}'))).statusCode).toBe(
      200,
    );
    const estimate = await h.call(
      'POST',
      `/v1/segments/${segmentId}/estimate`,
      example('POST', '/v1/segments/{id}/estimate'),
    );
    expect(estimate.statusCode).toBe(200);
    const erasures = await h.call('POST', '/v1/erasures', example('POST', '/v1/erasures'));
    expect(erasures.statusCode).toBe(202);
    expect((await h.call('PATCH', '/v1/workspace', example('PATCH', '/v1/workspace'))).statusCode).toBe(200);

    // a Facebook Login that reaches both example accounts, played through the sandbox's dialog
    const started = await h.call('POST', '/v1/facebook-login');
    const login = started.json<{ id: string; authorizationUrl: string }>();
    // the browser that started the login comes back with its binding cookie
    const cookie = String(started.headers['set-cookie']).split(';')[0] ?? '';
    const back = new URL((await fetch(login.authorizationUrl, { redirect: 'manual' })).headers.get('location') ?? '');
    const callback = await h.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie } });
    expect(callback.statusCode).toBe(200);
    const connect = example('POST', '/v1/facebook-login/{id}/connect');
    expect((await h.call('POST', `/v1/facebook-login/${login.id}/connect`, connect)).statusCode).toBe(200);
  });
});
