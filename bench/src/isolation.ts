import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { apiConfigSchema, createWorkspaceWithKey, generateApiKey } from '@canvas/api';
import { insertApiKey } from '@canvas/db';
import { sleep } from '@canvas/runtime';
import { deployedHeapLimit, type BenchContext } from './context.ts';
import { percentile, round } from './stats.ts';
import { seedSegmentHistory } from './segments.ts';
import { abandonedCartCanvas, startNode, waitFor, type RunningProcess } from '../../test/support/index.ts';

/** A segment that loads history and tests every candidate against several conditions. */
const heavySegment = {
  name: 'Engaged shoppers',
  conditions: {
    all: [
      {
        any: [
          {
            behaviour: { did: true, event: 'added_to_cart', count: { op: 'gte', value: 2 }, window: { lastDays: 45 } },
          },
          { behaviour: { did: true, event: 'page_viewed', count: { op: 'gte', value: 3 }, window: { ever: true } } },
        ],
      },
      { behaviour: { did: false, event: 'purchased', window: { lastDays: 30 } } },
      { profile: { field: 'country', op: 'in', value: ['US', 'CA', 'DE'] } },
      { reachability: { reachable: 'has_match_key' } },
    ],
  },
};

export interface IsolationFigures {
  users: number;
  events: number;
  seedSeconds: number;
  limits: { perWorkspace: number; total: number; poolSize: number; estimateTimeoutMs: number };
  /** Another workspace's GET /v1/canvases over real HTTP, in ms: before, and while the estimates run. */
  quiet: { requests: number; p50: number; p99: number; max: number };
  loaded: { requests: number; p50: number; p99: number; max: number; failed: number };
  /** The API process's event-loop lag during the load (prom-client's nodejs_eventloop_lag_*), in ms. */
  apiEventLoopLagMs: { p50: number; p99: number; max: number };
  /** What the ten estimate clients were answered (each retries after Retry-After until the window ends). */
  estimates: { answers: Record<string, number>; completedSeconds: number[] };
}

const apiMain = fileURLToPath(new URL('../../services/api/dist/main.js', import.meta.url));

/** A field of the first JSON log line with this message. */
const logged = (process: RunningProcess, message: string) =>
  waitFor(
    () => {
      if (process.child.exitCode !== null) throw new Error(`the API exited:\n${process.output().slice(-3000)}`);
      const line = process
        .output()
        .split('\n')
        .find((l) => l.includes(`"msg":"${message}"`));
      return line ? (JSON.parse(line) as { url: string }).url : undefined;
    },
    { what: message },
  ) as Promise<string>;

async function loopLag(opsUrl: string) {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  const seconds = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    p50: round(seconds('nodejs_eventloop_lag_p50_seconds') * 1000),
    p99: round(seconds('nodejs_eventloop_lag_p99_seconds') * 1000),
    max: round(seconds('nodejs_eventloop_lag_max_seconds') * 1000),
  };
}

const summary = (ms: number[]) => ({
  requests: ms.length,
  p50: round(percentile(ms, 50)),
  p99: round(percentile(ms, 99)),
  max: round(Math.max(...ms)),
});

/**
 * One workspace of `users` profiles and `events` history events runs ten concurrent exact
 * estimates of a heavy segment through the API as deployed (its defaults), while another
 * workspace lists its canvases over real HTTP; the latency of that list is the figure.
 */
export async function isolationFigures(
  ctx: BenchContext,
  users: number,
  events: number,
  windowSeconds: number,
): Promise<IsolationFigures> {
  const database = await ctx.newDatabase();
  const heavy = randomUUID();
  const seeding = performance.now();
  await seedSegmentHistory(database.db, heavy, users, events);
  const seedSeconds = (performance.now() - seeding) / 1000;
  ctx.log(`  seeded ${users} users and ${events} events in ${Math.round(seedSeconds)} s`);
  const heavyKey = generateApiKey();
  await insertApiKey(database.db, { id: randomUUID(), workspaceId: heavy, label: 'bench', ...heavyKey });
  const light = await createWorkspaceWithKey(database.db, 'Light workspace');

  // the API as deployed: its own process, its default limits, the heap cap of deploy/k8s/
  const api = startNode([deployedHeapLimit, apiMain], {
    DATABASE_URL: database.url,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    API_PORT: '0',
    OPS_PORT: '0',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
  });
  const url = await logged(api, 'designer API listening');
  const opsUrl = await logged(api, 'health and metrics endpoints listening');
  const config = apiConfigSchema.parse({ TOKEN_ENCRYPTION_KEY: 'x' });
  const call = (path: string, key: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  for (let i = 0; i < 5; i += 1) await call('/v1/canvases', light.apiKey, abandonedCartCanvas({ name: `c${i}` }));

  const listLatencies = async (until: number) => {
    const ms: number[] = [];
    let failed = 0;
    while (performance.now() < until) {
      const started = performance.now();
      const response = await call('/v1/canvases', light.apiKey).catch(() => undefined);
      await response?.arrayBuffer();
      if (response?.status === 200) ms.push(performance.now() - started);
      else failed += 1;
      await sleep(50);
    }
    return { ms, failed };
  };
  const quiet = await listLatencies(performance.now() + 5000);
  // prom-client's event-loop lag gauges cover the time since the previous scrape
  await loopLag(opsUrl);

  const answers: Record<string, number> = {};
  const completedSeconds: number[] = [];
  const windowEnd = performance.now() + windowSeconds * 1000;
  const client = async () => {
    while (performance.now() < windowEnd) {
      const started = performance.now();
      const response = await call('/v1/segments/estimate?exact=true', heavyKey.key, heavySegment);
      const body = (await response.json()) as { code?: string };
      const answer = response.status === 200 ? '200' : `${response.status} ${body.code ?? ''}`;
      answers[answer] = (answers[answer] ?? 0) + 1;
      if (response.status === 200) completedSeconds.push(round((performance.now() - started) / 1000, 2));
      const retryAfter = Number(response.headers.get('retry-after') ?? 0);
      if (retryAfter > 0) await sleep(retryAfter * 1000);
    }
  };
  ctx.log(`  ten exact estimates for ${windowSeconds} s, and another workspace listing its canvases`);
  const [loaded] = await Promise.all([listLatencies(windowEnd), ...Array.from({ length: 10 }, () => client())]);
  const lag = await loopLag(opsUrl);
  await api.stop();
  await database.drop();
  return {
    users,
    events,
    seedSeconds: round(seedSeconds),
    limits: {
      perWorkspace: config.EXPENSIVE_PER_WORKSPACE,
      total: config.EXPENSIVE_TOTAL,
      poolSize: config.DATABASE_POOL_SIZE,
      estimateTimeoutMs: config.ESTIMATE_TIMEOUT,
    },
    quiet: summary(quiet.ms),
    loaded: { ...summary(loaded.ms), failed: loaded.failed },
    apiEventLoopLagMs: lag,
    estimates: { answers, completedSeconds },
  };
}
