import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApi, generateApiKey } from '@canvas/api';
import { findAccountCapacity, insertApiKey } from '@canvas/db';
import { createGraphClient, type GraphClient } from '@canvas/meta-graph';
import { createLogger, createMetricsRegistry } from '@canvas/runtime';
import {
  startScaledSyncHarness,
  stepTotals,
  syntheticUsers,
  waitFor,
  type SyncAccount,
  type SyncHarness,
} from '@canvas/test-support';

// Meta's quota for the account: 40 calls an hour, an hour lasting a minute (the sandbox's clock and the sync's window)
const windowMs = 60_000;
const quota = 40;

interface Plan {
  quota: { perWindow: number; windowSeconds: number; capacityPerHour: number; source: string };
  backlog: { users: number; requests: number };
  drainSeconds: number | null;
  projectedDelaySeconds: number | null;
  retryLimitAtRisk: boolean;
}

describe('the quota planner against a sandbox draining a backlog', () => {
  let h: SyncHarness;
  let api: FastifyInstance;
  let graph: GraphClient;
  let apiKey: string;
  let account: SyncAccount;

  beforeAll(async () => {
    h = await startScaledSyncHarness(windowMs, quota);
    graph = createGraphClient({ baseUrl: h.sandbox.url });
    // the designer API over the sync's database, as deployed beside it
    api = await buildApi({
      db: h.database.db,
      directory: graph,
      cipher: h.cipher,
      logger: createLogger({ name: 'api-test', level: 'silent' }),
      registry: createMetricsRegistry('api'),
      now: () => new Date(),
      dryRun: { concurrency: 0 },
    });
    const key = generateApiKey();
    await insertApiKey(h.database.db, {
      id: randomUUID(),
      workspaceId: h.workspaceId,
      label: 'planner',
      hash: key.hash,
      prefix: key.prefix,
    });
    apiKey = key.key;
    account = await h.connectAccount();
  });
  afterAll(async () => {
    await api.close();
    await graph.close();
    await h.close();
  });

  const plan = async () => {
    const answer = await api.inject({
      method: 'GET',
      url: `/v1/ad-accounts/${account.adAccountId}/quota-plan`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(answer.statusCode).toBe(200);
    return answer.json<Plan>();
  };

  it("forecasts a 200,000-user backlog's drain within 20 % of the drain measured against the sandbox", async () => {
    const canvas = await h.canvasWithAudience(account);
    h.startSync({ META_QUOTA_PER_HOUR: String(quota), META_QUOTA_WINDOW: `${windowMs}ms` });
    // the owner tells the planner how it works the account
    await waitFor(() => findAccountCapacity(h.database.db, account.metaAccountId), {
      what: 'the sync to take the account',
    });

    await h.enter(canvas, account, syntheticUsers('drain', 200_000));
    const started = Date.now();
    const forecast = await plan();
    expect(forecast).toMatchObject({
      quota: { perWindow: quota, windowSeconds: windowMs / 1000, source: 'sync' },
      backlog: { users: 200_000, requests: 20 },
      retryLimitAtRisk: false,
    });
    await waitFor(async () => (await stepTotals(h.database.db))[0]?.pending === 0, {
      what: 'the backlog to drain',
      timeoutMs: 180_000,
      intervalMs: 100,
    });
    const measured = (Date.now() - started) / 1000;
    expect((await stepTotals(h.database.db))[0]).toMatchObject({ synced: 200_000, errored: 0 });
    // 20 requests of 10,000 users at 38 a minute: about 31 s
    expect(Math.abs(forecast.drainSeconds! - measured) / measured).toBeLessThanOrEqual(0.2);
    expect(measured).toBeGreaterThan(20);
    const after = await plan();
    expect(after.backlog).toEqual({ users: 0, requests: 0, oldestWaitSeconds: 0 });
  });
});
