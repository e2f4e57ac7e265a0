import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApi, startApiOps } from '@canvas/api';
import { addCounters, createDatabase } from '@canvas/db';
import { createGraphClient } from '@canvas/meta-graph';
import { createLogger, createMetricsRegistry, createTokenCipher, type OpsServer } from '@canvas/runtime';
import { abandonedCartCanvas, startApiHarness, type ApiHarness } from '@canvas/test-support';

describe('the API ops listener', () => {
  let h: ApiHarness;
  let ops: OpsServer;
  beforeAll(async () => {
    h = await startApiHarness({ metricsMaxAgeMs: 60_000 });
    ops = await startApiOps(
      { db: h.database.db, registry: h.registry, logger: h.logger },
      { host: '127.0.0.1', port: 0 },
    );
  });
  afterAll(async () => {
    await ops.close();
    await h.close();
  });

  it('serves /metrics, which the public port answers 404 for', async () => {
    const publicPort = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect([publicPort.statusCode, publicPort.json<{ code: string }>().code]).toEqual([404, 'NOT_FOUND']);
    const scrape = await fetch(`${ops.url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('http_requests_total');
    expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);
  });

  it('reads the canvas counters at most once per max age, however often it is scraped', async () => {
    expect(await (await fetch(`${ops.url}/metrics`)).text()).not.toContain('canvas_step_users{');
    const account = h.sandboxAccount();
    await h.call('POST', '/v1/ad-accounts', { adAccountId: account.accountId, accessToken: account.token });
    const canvasId = (await h.call('POST', '/v1/canvases', abandonedCartCanvas())).json<{ id: string }>().id;
    await h.call('POST', `/v1/canvases/${canvasId}/launch`);
    await addCounters(
      h.database.db,
      [{ workspaceId: h.workspaceId, canvasId, version: 1, stepId: 'wait', metric: 'entered', delta: 4 }],
      new Date(),
      0,
    );
    // the harness keeps them for a minute: this scrape still shows the first read
    expect(await (await fetch(`${ops.url}/metrics`)).text()).not.toContain(canvasId);
  });
});

describe('readiness', () => {
  it('answers only a stable status per check and logs the database error instead', async () => {
    const logs: string[] = [];
    const graph = createGraphClient({ baseUrl: 'http://127.0.0.1:9' });
    const db = createDatabase({ url: 'postgres://postgres@127.0.0.1:5432/no_such_database_for_readyz' });
    const app = await buildApi({
      db,
      directory: graph,
      cipher: createTokenCipher(Buffer.alloc(32).toString('base64')),
      logger: createLogger({
        name: 'api-test',
        level: 'warn',
        destination: { write: (l: string) => void logs.push(l) },
      }),
      registry: createMetricsRegistry('api'),
      now: () => new Date(),
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'unavailable', checks: { postgres: 'failed' } });
      expect(response.body).not.toContain('no_such_database');
      expect(logs.map((l) => JSON.parse(l) as { check?: string }).filter((l) => l.check === 'postgres')).toHaveLength(
        1,
      );
    } finally {
      await app.close();
      await db.destroy();
      await graph.close();
    }
  });
});
