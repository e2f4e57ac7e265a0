import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { CanvasDefinition, Replay, type ReplayResult } from '@canvas/canvas';
import { recordAccountCapacity } from '@canvas/db';
import { hasUsableIdentifier } from '@canvas/meta-graph';
import {
  awaitDryRun,
  dryRunShoppers,
  seedBehaviour,
  startApiHarness,
  twoBranchCanvas,
  type ApiHarness,
  type DryRunAnswer,
  type SeededUser,
  waitFor,
} from '@canvas/test-support';

const hour = 3_600_000;

/** Rows of every table a dry run must leave alone. */
async function untouched(h: ApiHarness) {
  const counts = await sql<{ name: string; n: string }>`
    SELECT 'journeys' AS name, count(*) AS n FROM journeys UNION ALL
    SELECT 'timers', count(*) FROM timers UNION ALL
    SELECT 'step_counters', count(*) FROM step_counters UNION ALL
    SELECT 'audience_entries', count(*) FROM audience_entries UNION ALL
    SELECT 'canvas_entry_counts', count(*) FROM canvas_entry_counts UNION ALL
    SELECT 'processed_messages', count(*) FROM processed_messages UNION ALL
    SELECT 'user_profiles', count(*) FROM user_profiles UNION ALL
    SELECT 'user_events', count(*) FROM user_events`.execute(h.database.db);
  return Object.fromEntries(counts.rows.map((r) => [r.name, Number(r.n)]));
}

/** The pure replay over the same users, by hand: what the API's paging must add up to. */
function replayedByHand(canvasId: string, users: readonly SeededUser[], from: Date, to: Date): ReplayResult {
  const definition = CanvasDefinition.parse(twoBranchCanvas());
  const replay = new Replay({
    workspaceId: 'w',
    canvas: { canvasId, version: 1, definition },
    from,
    to,
    usable: hasUsableIdentifier,
  });
  const relevant = new Set(['added_to_cart', 'purchased']);
  for (const u of [...users].sort((a, b) => (a.userId < b.userId ? -1 : 1)))
    replay.user({
      profile: { userId: u.userId, traits: u.traits, context: {}, firstSeenAt: from, lastSeenAt: from },
      events: u.events
        .filter((e) => relevant.has(e.event) && e.at >= from && e.at < to)
        .map((e) => ({ event: e.event, at: e.at.getTime(), properties: e.properties ?? {} })),
    });
  return replay.result();
}

describe('dry runs', () => {
  let h: ApiHarness;
  let connectionId: string;
  let metaAccountId: string;
  const now = new Date();
  // 600 shoppers, ten events each, spread over the last 17 hours; ranges of 130 users read in pages of 50
  const users = dryRunShoppers(600, 10, new Date(now.getTime() - 17 * hour), 10_000);
  const get = async (path: string) => (await h.call('GET', path)).json<DryRunAnswer>();

  beforeAll(async () => {
    h = await startApiHarness({ dryRun: { pageUsers: 50, rangeUsers: 130, pollIntervalMs: 200 } });
    const { accountId, token } = h.sandboxAccount();
    metaAccountId = accountId;
    const connected = await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token });
    connectionId = connected.json<{ id: string }>().id;
    await seedBehaviour(h.database.db, h.workspaceId, users);
  });
  afterAll(async () => h.close());

  const draft = async (name: string) => {
    const created = await h.call('POST', '/v1/canvases', twoBranchCanvas(name));
    expect(created.statusCode).toBe(201);
    return created.json<{ id: string }>().id;
  };

  const dryRun = async (canvasId: string, body: unknown = { window: { lastDays: 1 } }) => {
    const asked = await h.call('POST', `/v1/canvases/${canvasId}/dry-run`, body);
    expect([asked.statusCode, asked.json<{ code?: string }>().code]).toEqual([202, undefined]);
    return awaitDryRun(get, asked.json<{ id: string }>().id);
  };

  it("replays a draft over the workspace's history in pages, and writes nothing but its own row", async () => {
    const canvasId = await draft('Carts by country');
    const before = await untouched(h);
    const run = await dryRun(canvasId);
    expect([run.status, run.failure]).toEqual(['done', null]);
    expect(await untouched(h)).toEqual(before);
    expect(run.progress).toMatchObject({ fraction: 1, users: 600, totalUsers: 600, pass: 1, passes: 1 });

    const result = run.result!;
    const window = (await h.call('GET', `/v1/dry-runs/${run.id}`)).json<{ window: { from: string; to: string } }>()
      .window;
    const byHand = replayedByHand(canvasId, users, new Date(window.from), new Date(window.to));
    expect(result.totals).toEqual(byHand.totals);
    expect(result.events).toBe(byHand.events);
    for (const step of byHand.steps) {
      const got = result.steps.find((s) => s.stepId === step.stepId)!;
      expect(got).toMatchObject({
        entered: step.entered,
        proceeded: step.proceeded,
        exited: step.exited,
        converted: step.converted,
        waiting: step.waiting,
        branches: step.branches,
        sampleUserIds: step.sampleUserIds,
      });
      if (step.facebook)
        expect(got.facebook).toMatchObject({
          adAccountId: `act_${metaAccountId}`,
          synced: step.facebook.synced,
          notSynced: step.facebook.notSynced,
          requests: step.facebook.requests,
        });
    }
    // the numbers mean something: users went every way, and every outcome of a Facebook step occurred
    const fbRest = result.steps.find((s) => s.stepId === 'fb_rest')!.facebook!;
    expect(fbRest.synced).toBeGreaterThan(0);
    expect(fbRest.notSynced.noMatchKeys).toBeGreaterThan(0);
    expect(fbRest.notSynced.consent).toBeGreaterThan(0);
    expect(result.totals.control).toBeGreaterThan(0);
    expect(result.steps.find((s) => s.stepId === 'wait_us')!.exited).toBeGreaterThan(0);
    expect(result.accounts).toEqual([
      expect.objectContaining({ adAccountId: `act_${metaAccountId}`, steps: ['fb_us', 'fb_rest'] }),
    ]);
    expect(result.users.scanned).toBe(600);

    const listed = (await h.call('GET', `/v1/canvases/${canvasId}/dry-runs`)).json<{ data: { id: string }[] }>();
    expect(listed.data.map((r) => r.id)).toEqual([run.id]);
  });

  it('reads nested event properties, and judges segments on the history before the window too', async () => {
    const at = (hours: number) => new Date(now.getTime() - hours * hour);
    const shopper = (userId: string, events: SeededUser['events']): SeededUser => ({
      userId,
      traits: { email: `${userId}@example.com` },
      events,
    });
    await seedBehaviour(h.database.db, h.workspaceId, [
      // events of their own, so the other shoppers of this workspace stay out
      shopper('seg-a', [
        { event: 'looked', at: at(30) },
        { event: 'looked', at: at(29) },
        { event: 'basket', at: at(2), properties: { cart: { total: 30, items: ['x'] }, note: 'kept out' } },
      ]),
      shopper('seg-b', [
        { event: 'looked', at: at(30) },
        { event: 'looked', at: at(29) },
        { event: 'basket', at: at(2), properties: { cart: { total: 10 } } },
      ]),
      shopper('seg-c', [{ event: 'basket', at: at(2), properties: { cart: { total: 50 } } }]),
    ]);
    const segment = await h.call('POST', '/v1/segments', {
      name: 'Viewed twice',
      conditions: {
        behaviour: { did: true, event: 'looked', count: { op: 'gte', value: 2 }, window: { lastDays: 2 } },
      },
    });
    const segmentId = segment.json<{ id: string }>().id;
    const step = {
      id: 'fb',
      kind: 'facebook_audience',
      audience: { create: { name: 'Viewers' } },
      matchKeys: ['EMAIL'],
      next: null,
    };
    const filtered = await h.call('POST', '/v1/canvases', {
      name: 'Viewers who cart',
      entry: {
        trigger: { event: 'basket', conditions: [{ property: 'cart.total', op: 'gte', value: 20 }] },
        inSegment: segmentId,
      },
      firstStep: 'fb',
      steps: [step],
    });
    const byTrigger = await dryRun(filtered.json<{ id: string }>().id);
    expect(byTrigger.result!.totals.entered).toBe(1);
    expect(byTrigger.result!.steps[0]!.sampleUserIds).toEqual(['seg-a']);

    const scheduled = await h.call('POST', '/v1/canvases', {
      name: 'Viewers, once',
      entry: { segment: { segmentId, runs: { kind: 'once' } } },
      firstStep: 'fb',
      steps: [{ ...step, audience: { create: { name: 'Viewers once' } } }],
    });
    // the run falls when the window opens, on the two days of history before it
    const bySegment = await dryRun(scheduled.json<{ id: string }>().id);
    expect(bySegment.result).toMatchObject({ totals: { entered: 2 }, users: { scanned: 603 } });
    expect(bySegment.result!.steps[0]!.sampleUserIds).toEqual(['seg-a', 'seg-b']);
  });

  it('refuses windows ending before they begin, in the future or too long, and unknown versions', async () => {
    const canvasId = await draft('Windows');
    const refused = async (body: unknown) => {
      const answer = await h.call('POST', `/v1/canvases/${canvasId}/dry-run`, body);
      return [answer.statusCode, answer.json<{ code: string }>().code];
    };
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    expect(await refused({ window: { from: at(-hour), to: at(-2 * hour) } })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await refused({ window: { from: at(-hour), to: at(hour) } })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await refused({ window: { lastDays: 40 } })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await refused({ version: 9 })).toEqual([404, 'NOT_FOUND']);
    expect((await h.call('GET', '/v1/dry-runs/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it("plans an ad account's quota, with a finished dry run's load added", async () => {
    const canvasId = await draft('Planned');
    const run = await dryRun(canvasId);
    const plain = await h.call('GET', `/v1/ad-accounts/${connectionId}/quota-plan`);
    expect(plain.statusCode).toBe(200);
    const plan = plain.json<Record<string, unknown>>();
    expect(plan).toMatchObject({
      adAccountId: `act_${metaAccountId}`,
      quota: { source: 'formula', windowSeconds: 3600, usersPerRequest: 10_000 },
      recent: { usersPerHour: 0, requestsPerHour: 0, canvases: [] },
      draft: null,
      backlog: { users: 0, requests: 0 },
      retryWindowSeconds: 13 * 3600,
      retryLimitAtRisk: false,
    });
    const added = (await h.call('GET', `/v1/ad-accounts/${connectionId}/quota-plan?dryRunId=${run.id}`)).json<{
      draft: { usersPerHour: number; requestsPerHour: number; peakRequestsPerHour: number };
      forecast: { requestsPerHour: number };
    }>();
    const account = run.result!.accounts[0]!;
    expect(added.draft.usersPerHour).toBeCloseTo(account.users / 24, 3);
    expect(added.draft.peakRequestsPerHour).toBe(account.requestsPerHour.peak);
    expect(added.forecast.requestsPerHour).toBeCloseTo(account.requestsPerHour.mean, 3);
    expect(
      (await h.call('GET', `/v1/ad-accounts/${connectionId}/quota-plan?dryRunId=00000000-0000-4000-8000-000000000000`))
        .statusCode,
    ).toBe(404);
  });

  it('warns at launch when the account could not keep up, and refuses when the workspace says so', async () => {
    // the sync's owner says this account allows two calls an hour
    await recordAccountCapacity(h.database.db, {
      metaAccountId,
      quotaPerWindow: 2,
      windowMs: hour,
      safety: 0.97,
      usersPerRequest: 10_000,
      batchWindowMs: 5000,
      paceFactor: 1,
      recordedAt: new Date(),
    });
    const warned = await draft('Warned');
    await dryRun(warned);
    const launched = await h.call('POST', `/v1/canvases/${warned}/launch`);
    expect(launched.statusCode).toBe(200);
    expect(launched.json<{ status: string; warnings: unknown[] }>()).toMatchObject({
      status: 'running',
      warnings: [{ code: 'quota_at_risk', adAccountId: `act_${metaAccountId}`, steps: ['fb_us', 'fb_rest'] }],
    });

    const settings = await h.call('PATCH', '/v1/workspace', { blockLaunchOnQuotaRisk: true });
    expect(settings.json()).toMatchObject({ blockLaunchOnQuotaRisk: true, audienceNamePrefix: null });
    const blocked = await draft('Blocked');
    await dryRun(blocked);
    const audiences = h.sandbox.state.audiences.size;
    const refused = await h.call('POST', `/v1/canvases/${blocked}/launch`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'LAUNCH_PREFLIGHT_FAILED',
      errors: [
        { code: 'quota_at_risk', path: '/steps/1' },
        { code: 'quota_at_risk', path: '/steps/3' },
      ],
    });
    // refused before anything changed at Meta
    expect(h.sandbox.state.audiences.size).toBe(audiences);
    await h.call('PATCH', '/v1/workspace', { blockLaunchOnQuotaRisk: false });
  });
});

describe('dry runs under their limits', () => {
  let h: ApiHarness;
  const now = new Date();
  const users = dryRunShoppers(300, 10, new Date(now.getTime() - 10 * hour), 10_000);
  const get = async (path: string) => (await h.call('GET', path)).json<DryRunAnswer>();

  beforeAll(async () => {
    // a page a user: slow enough to be caught running
    h = await startApiHarness({ dryRun: { pageUsers: 1, rangeUsers: 3, pollIntervalMs: 200, dailyHistoryRows: 800 } });
    await seedBehaviour(h.database.db, h.workspaceId, users);
  });
  afterAll(async () => h.close());

  it('runs one at a time per workspace, cancels between pages, and stops at the daily budget', async () => {
    const canvasId = (await h.call('POST', '/v1/canvases', twoBranchCanvas('Limits'))).json<{ id: string }>().id;
    const first = (await h.call('POST', `/v1/canvases/${canvasId}/dry-run`, {})).json<{ id: string }>();
    const busy = await h.call('POST', `/v1/canvases/${canvasId}/dry-run`, {});
    expect([busy.statusCode, busy.json<{ code: string }>().code, busy.headers['retry-after']]).toEqual([
      429,
      'DRY_RUN_BUSY',
      '10',
    ]);
    const running = await awaitProgress(get, first.id);
    const cancelled = await h.call('DELETE', `/v1/dry-runs/${first.id}`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    // it stops at its next page and stays cancelled
    await new Promise((resolve) => setTimeout(resolve, 500));
    const settled = await get(`/v1/dry-runs/${first.id}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const later = await get(`/v1/dry-runs/${first.id}`);
    expect(later).toMatchObject({ status: 'cancelled', progress: settled.progress, result: null });
    expect(later.progress.users).toBeGreaterThanOrEqual(running.progress.users);
    expect(later.progress.users).toBeLessThan(300);
    expect((await h.call('DELETE', `/v1/dry-runs/${first.id}`)).json()).toMatchObject({ status: 'cancelled' });
    // the stopped run's range reads (its cursors, the next range's already started) are all given back
    await waitFor(
      async () => {
        const open = await sql<{ n: string }>`
          SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state LIKE 'idle in transaction%'`.execute(h.database.db);
        return Number(open.rows[0]!.n) === 0 || undefined;
      },
      { what: 'no dry-run read left open' },
    );

    // the second run would read more history than the day's budget leaves
    const second = (await h.call('POST', `/v1/canvases/${canvasId}/dry-run`, {})).json<{ id: string }>();
    const failed = await awaitDryRun(get, second.id);
    expect([failed.status, failed.failure, failed.result]).toEqual(['failed', 'budget_exhausted', null]);
    expect(failed.cost.historyRows).toBeGreaterThan(0);
    const spent = await h.call('POST', `/v1/canvases/${canvasId}/dry-run`, {});
    expect(spent.statusCode).toBe(429);
    expect(spent.json<{ code: string }>().code).toBe('DRY_RUN_BUDGET_EXCEEDED');
    expect(Number(spent.headers['retry-after'])).toBeGreaterThan(23 * 3600);
    expect((await h.call('DELETE', `/v1/dry-runs/${second.id}`)).json<{ code: string }>().code).toBe(
      'DRY_RUN_FINISHED',
    );
  });
});

async function awaitProgress(get: (path: string) => Promise<DryRunAnswer>, id: string): Promise<DryRunAnswer> {
  for (let i = 0; i < 200; i += 1) {
    const run = await get(`/v1/dry-runs/${id}`);
    if (run.status === 'running' && run.progress.users > 0) return run;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`dry run ${id} never got going`);
}
