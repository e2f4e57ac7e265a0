import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { validate } from '@readme/openapi-parser';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

interface Operation {
  requestBody?: unknown;
  parameters?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

describe('OpenAPI document', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => h.close());

  it('validates as OpenAPI 3.1 and lists every route with request and response schemas', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, Record<string, Operation>> }>();
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);

    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    const listed = operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort();
    expect(listed).toEqual([
      'DELETE /v1/ad-accounts/{id}',
      'DELETE /v1/api-keys/{id}',
      'DELETE /v1/dry-runs/{id}',
      'DELETE /v1/segments/{id}',
      'GET /v1/ad-accounts',
      'GET /v1/ad-accounts/{id}',
      'GET /v1/ad-accounts/{id}/ad-sets',
      'GET /v1/ad-accounts/{id}/audiences',
      'GET /v1/ad-accounts/{id}/created-audiences',
      'GET /v1/ad-accounts/{id}/quota-plan',
      'GET /v1/api-keys',
      'GET /v1/canvases',
      'GET /v1/canvases/{id}',
      'GET /v1/canvases/{id}/analytics',
      'GET /v1/canvases/{id}/analytics/series',
      'GET /v1/canvases/{id}/dry-runs',
      'GET /v1/canvases/{id}/runs',
      'GET /v1/canvases/{id}/steps/{stepId}/redrives',
      'GET /v1/canvases/{id}/steps/{stepId}/resyncs',
      'GET /v1/canvases/{id}/steps/{stepId}/users/{userId}',
      'GET /v1/canvases/{id}/versions',
      'GET /v1/canvases/{id}/versions/{version}',
      'GET /v1/dry-runs/{id}',
      'GET /v1/erasures/{id}',
      'GET /v1/facebook-login/callback',
      'GET /v1/facebook-login/{id}',
      'GET /v1/segments',
      'GET /v1/segments/{id}',
      'GET /v1/workspace',
      'PATCH /v1/workspace',
      'POST /v1/ad-accounts',
      'POST /v1/ad-accounts/{id}/default',
      'POST /v1/api-keys',
      'POST /v1/canvases',
      'POST /v1/canvases/validate',
      'POST /v1/canvases/{id}/archive',
      'POST /v1/canvases/{id}/audiences',
      'POST /v1/canvases/{id}/dry-run',
      'POST /v1/canvases/{id}/launch',
      'POST /v1/canvases/{id}/pause',
      'POST /v1/canvases/{id}/resume',
      'POST /v1/canvases/{id}/steps/{stepId}/redrive',
      'POST /v1/canvases/{id}/steps/{stepId}/resync',
      'POST /v1/erasures',
      'POST /v1/facebook-login',
      'POST /v1/facebook-login/{id}/connect',
      'POST /v1/segments',
      'POST /v1/segments/estimate',
      'POST /v1/segments/validate',
      'POST /v1/segments/{id}/estimate',
      'POST /v1/users/{userId}/erasure',
      'PUT /v1/ad-accounts/{id}/token',
      'PUT /v1/canvases/{id}',
      'PUT /v1/segments/{id}',
    ]);
    for (const { path, method, op } of operations) {
      const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
      expect([path, method, Boolean(success)]).toEqual([path, method, true]);
      if (success?.[0] !== '204')
        expect([path, method, Boolean(success?.[1].content?.['application/json']?.schema)]).toEqual([
          path,
          method,
          true,
        ]);
      expect([path, method, Boolean(op.responses['400'] ?? op.responses['401'])]).toEqual([path, method, true]);
      if (
        ['post', 'put'].includes(method) &&
        !/\/(launch|pause|resume|archive|default|erasure|audiences|facebook-login|resync)$/.test(path)
      ) {
        expect([path, method, Boolean(op.requestBody)]).toEqual([path, method, true]);
      }
    }
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });
});
