import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { generateApiKey } from '@canvas/api';
import { insertAdAccount, insertApiKey, maintainHistoryPartitions, type Db } from '@canvas/db';
import { sleep } from '@canvas/runtime';
import { readFileSync } from 'node:fs';
import { keptDatabase } from './kept-database.ts';
import { deployedHeapLimit, peakRssMb, type BenchContext } from './context.ts';
import { percentile, round } from './stats.ts';
import { seedWorkspace, startNode, twoBranchCanvas, waitFor, type RunningProcess } from '../../test/support/index.ts';

const apiMain = fileURLToPath(new URL('../../services/api/dist/main.js', import.meta.url));

/**
 * `users` profiles and `events` history events over the last seven days, by bulk SQL (as the
 * runner would have kept them). Every event is one the bench canvas reacts to — three quarters
 * carts with a total, a quarter purchases — so a dry run reads and replays all of them: the
 * upper bound of its cost (a real history also holds views and the like, which it skips).
 */
export async function seedDryRunHistory(db: Db, workspaceId: string, users: number, events: number): Promise<void> {
  await seedWorkspace(db, workspaceId);
  await maintainHistoryPartitions(db, new Date(), 90, 2);
  await sql`
    INSERT INTO user_profiles (workspace_id, user_id, traits, first_seen_at, last_seen_at)
    SELECT ${workspaceId}::uuid, 'u' || lpad(i::text, 7, '0'),
      jsonb_build_object('country', (ARRAY['US', 'USA', 'France', 'DE', 'CA'])[1 + i % 5])
        || CASE WHEN i % 10 < 8 THEN jsonb_build_object('email', 'u' || i || '@example.com') ELSE '{}'::jsonb END
        || CASE WHEN i % 5 < 2 THEN jsonb_build_object('phone', '+1415' || (3000000 + i % 7000000)) ELSE '{}'::jsonb END
        || CASE WHEN i % 20 = 0 THEN '{"ads_opt_out": true}'::jsonb ELSE '{}'::jsonb END,
      now() - interval '60 days', now()
    FROM generate_series(0, ${users - 1}) AS i`.execute(db);
  const span = 7 * 86_400 - 7200;
  for (let from = 0; from < events; from += 2_000_000) {
    const to = Math.min(events, from + 2_000_000) - 1;
    await sql`
      INSERT INTO user_events (workspace_id, user_id, event, occurred_at, message_id, properties)
      SELECT ${workspaceId}::uuid, 'u' || lpad(((i * 7919) % ${users})::text, 7, '0'),
        CASE WHEN i % 4 < 3 THEN 'added_to_cart' ELSE 'purchased' END,
        now() - interval '1 hour' - make_interval(secs => (i * 104729) % ${span}), 'm' || i,
        CASE WHEN i % 4 < 3 THEN jsonb_build_object('total', (i * 37) % 100) ELSE '{}'::jsonb END
      FROM generate_series(${from}::bigint, ${to}::bigint) AS i`.execute(db);
  }
  await sql`
    INSERT INTO user_event_days (workspace_id, user_id, event, day, occurrences, first_at, last_at)
    SELECT workspace_id, user_id, event, (occurred_at AT TIME ZONE 'UTC')::date,
      count(*), min(occurred_at), max(occurred_at)
    FROM user_events WHERE workspace_id = ${workspaceId} GROUP BY 1, 2, 3, 4`.execute(db);
  // a live database has been vacuumed as its history grew
  await sql`VACUUM (ANALYZE) user_profiles, user_events, user_event_days`.execute(db);
}

/** CPU seconds a process has used (user + system), from /proc (Linux; 0 once it has gone). */
function cpuSeconds(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux)
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface DryRunFigures {
  users: number;
  events: number;
  seedSeconds: number;
  /** Per run: from the worker's claim to the stored result. */
  runSeconds: number[];
  /** Per run: CPU seconds the API process spent (the rest of the run's time is PostgreSQL's and waiting). */
  apiCpuSeconds: number[];
  /**
   * Per run: CPU seconds of the API's PostgreSQL backends (server on this machine), sampled with
   * every poll, so a connection the pool closes meanwhile still counts up to its last sample.
   */
  postgresCpuSeconds: number[];
  /** Per run: history rows read and window events replayed through the engine. */
  historyRows: number;
  replayedEvents: number;
  entered: number;
  /** The API process (heap capped as deployed) at its highest, over every run. */
  peakRssMb: number;
  /** The API's answer to GET /v1/dry-runs/{id} every 100 ms while a run works: it stays responsive. */
  pollMs: { requests: number; p50: number; p99: number; max: number };
}

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

interface Run {
  id: string;
  status: string;
  failure: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  cost: { historyRows: number };
  result: { events: number; totals: { entered: number } } | null;
}

/**
 * Seeds once, then dry-runs the two-branch canvas (a Facebook step on each branch) over the
 * seven days `repeats` times through the API as deployed: its own process, its defaults, the
 * heap cap of deploy/k8s/.
 */
export async function dryRunFigures(ctx: BenchContext, users: number, events: number): Promise<DryRunFigures> {
  const reuse = process.env.BENCH_REUSE_DB === '1';
  const database = reuse
    ? await keptDatabase(process.env.TEST_DATABASE_TEMPLATE_URL!, 'dry_run', users, events)
    : { ...(await ctx.newDatabase()), seed: undefined, remember: async () => undefined };
  let seed = database.seed;
  let seedSeconds = 0;
  if (seed) {
    ctx.log(
      `  reusing ${users} users and ${events} events seeded at ${seed.seededAt.toISOString()} (BENCH_REUSE_DB=1)`,
    );
    // the daily budget counts earlier runs' rows: a kept workspace starts each bench with none
    await sql`DELETE FROM dry_runs WHERE workspace_id = ${seed.workspaceId}`.execute(database.db);
  } else {
    seed = { workspaceId: randomUUID(), users, events, seededAt: new Date() };
    const seeding = performance.now();
    await seedDryRunHistory(database.db, seed.workspaceId, users, events);
    seedSeconds = (performance.now() - seeding) / 1000;
    ctx.log(`  seeded ${users} users and ${events} events in ${Math.round(seedSeconds)} s`);
    await insertAdAccount(database.db, {
      id: randomUUID(),
      workspaceId: seed.workspaceId,
      metaAccountId: '555000111',
      name: 'Bench account',
      status: 'connected',
      statusReason: null,
      tokenCiphertext: Buffer.from('never read by a dry run'),
      isDefault: true,
      addedBy: 'bench',
      now: new Date(),
    });
    await database.remember(seed);
  }
  const { workspaceId } = seed;
  // the seeded history ends before seededAt: a reused one is replayed over the same seven days
  const window = reuse
    ? { from: new Date(seed.seededAt.getTime() - 7 * 86_400_000).toISOString(), to: seed.seededAt.toISOString() }
    : { lastDays: 7 };
  const key = generateApiKey();
  await insertApiKey(database.db, { id: randomUUID(), workspaceId, label: 'bench', ...key });

  // BENCH_CPU_PROF=<dir>: the API writes a CPU profile of the runs there when it stops
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const api = startNode([deployedHeapLimit, ...profile, apiMain], {
    DATABASE_URL: database.url,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    API_PORT: '0',
    OPS_PORT: '0',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
  });
  const url = await logged(api, 'designer API listening');
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key.key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const canvas = await call<{ id: string }>('POST', '/v1/canvases', twoBranchCanvas('Bench carts'));
  if (canvas.status !== 201) throw new Error(`the bench canvas was refused: ${JSON.stringify(canvas.body)}`);

  const runSeconds: number[] = [];
  const apiCpuSeconds: number[] = [];
  const poll: number[] = [];
  const postgresCpuSeconds: number[] = [];
  // the API's backends: every connection to the bench database but the bench's own
  const backends = async () =>
    (
      await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND application_name NOT IN ('canvas-bench', 'canvas-test')`.execute(database.db)
    ).rows.map((r) => r.pid);
  let last: Run | undefined;
  for (let i = 0; i < ctx.repeats; i += 1) {
    const cpuBefore = cpuSeconds(api.child.pid!);
    const backendCpu = new Map<number, { first: number; last: number }>();
    const sampleBackends = async (initial = false) => {
      for (const pid of await backends()) {
        const now = cpuSeconds(pid);
        const seen = backendCpu.get(pid);
        if (seen) seen.last = Math.max(seen.last, now);
        // a backend first seen mid-run was opened by the pool for the run: all its CPU counts
        else backendCpu.set(pid, { first: initial ? now : 0, last: now });
      }
    };
    await sampleBackends(true);
    const asked = await call<Run>('POST', `/v1/canvases/${canvas.body.id}/dry-run`, { window });
    if (asked.status !== 202) throw new Error(`the dry run was refused: ${JSON.stringify(asked.body)}`);
    const deadline = Date.now() + 900_000;
    for (;;) {
      const started = performance.now();
      const { body } = await call<Run>('GET', `/v1/dry-runs/${asked.body.id}`);
      poll.push(performance.now() - started);
      await sampleBackends();
      if (body.status !== 'queued' && body.status !== 'running') {
        last = body;
        break;
      }
      if (Date.now() > deadline) throw new Error('the dry run did not end within 15 minutes');
      await sleep(100);
    }
    if (last.status !== 'done') throw new Error(`the dry run ended ${last.status} (${last.failure})`);
    const seconds = (Date.parse(last.finishedAt!) - Date.parse(last.startedAt!)) / 1000;
    runSeconds.push(seconds);
    apiCpuSeconds.push(round(cpuSeconds(api.child.pid!) - cpuBefore, 2));
    postgresCpuSeconds.push(
      round(
        [...backendCpu.values()].reduce((sum, b) => sum + b.last - b.first, 0),
        2,
      ),
    );
    const cpu = apiCpuSeconds[i];
    ctx.log(`  dry run ${i + 1}: ${seconds.toFixed(1)} s (API CPU ${cpu} s), ${last.cost.historyRows} history rows`);
  }
  const peakMb = peakRssMb(api.child.pid!);
  await api.stop();
  await database.drop();
  return {
    users,
    events,
    seedSeconds: round(seedSeconds),
    runSeconds,
    apiCpuSeconds,
    postgresCpuSeconds,
    historyRows: last?.cost.historyRows ?? 0,
    replayedEvents: last?.result?.events ?? 0,
    entered: last?.result?.totals.entered ?? 0,
    peakRssMb: round(peakMb),
    pollMs: {
      requests: poll.length,
      p50: round(percentile(poll, 50)),
      p99: round(percentile(poll, 99)),
      max: round(Math.max(...poll)),
    },
  };
}
