import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { estimateReach } from '@canvas/api';
import { cartAbandonersSegmentExample, SegmentDefinition, weeklySegmentCanvasExample } from '@canvas/canvas';
import { insertSegment, maintainHistoryPartitions, type Db } from '@canvas/db';
import { sleep } from '@canvas/runtime';
import { clearEarlierRuns, keptDatabase } from './kept-database.ts';
import { deployedHeapLimit, peakRssMb, type BenchContext } from './context.ts';
import { seedLaunchedCanvas, seedWorkspace, startRunnerProcess } from '../../test/support/index.ts';

const segment = SegmentDefinition.parse(cartAbandonersSegmentExample);
/** The run's segment: every user active in 60 days (each seeded user is), so the run enters all of them. */
const activeUsers = SegmentDefinition.parse({
  name: 'Active in 60 days',
  conditions: {
    any: ['page_viewed', 'added_to_cart', 'purchased'].map((event) => ({
      behaviour: { did: true, event, window: { lastDays: 60 } },
    })),
  },
});

/**
 * `users` profiles and `events` history events over the last 45 days, written by bulk SQL (as the
 * runner would have kept them): ten events per user, all of one kind (30 % of users add to cart,
 * 5 % buy, the rest view pages).
 */
export async function seedSegmentHistory(db: Db, workspaceId: string, users: number, events: number): Promise<void> {
  await seedWorkspace(db, workspaceId);
  await maintainHistoryPartitions(db, new Date(), 90, 2);
  await sql`
    INSERT INTO user_profiles (workspace_id, user_id, traits, first_seen_at, last_seen_at)
    SELECT ${workspaceId}::uuid, 'u' || i,
      jsonb_build_object(
        'email', 'u' || i || '@example.com',
        'country', (ARRAY['US', 'USA', 'United States', 'CA', 'DE'])[1 + i % 5]
      )
        || CASE WHEN i % 10 = 0 THEN '{"email_subscribe": "unsubscribed"}'::jsonb ELSE '{}'::jsonb END,
      now() - interval '60 days', now()
    FROM generate_series(0, ${users - 1}) AS i`.execute(db);
  for (let from = 0; from < events; from += 2_000_000) {
    const to = Math.min(events, from + 2_000_000) - 1;
    await sql`
      INSERT INTO user_events (workspace_id, user_id, event, occurred_at, message_id, properties)
      SELECT ${workspaceId}::uuid, 'u' || ((i * 7919) % ${users}),
        CASE WHEN i % 20 < 6 THEN 'added_to_cart' WHEN i % 20 = 6 THEN 'purchased' ELSE 'page_viewed' END,
        now() - make_interval(secs => (i * 104729) % (45 * 86400)), 'm' || i, '{}'
      FROM generate_series(${from}::bigint, ${to}::bigint) AS i`.execute(db);
  }
  await sql`
    INSERT INTO user_event_days (workspace_id, user_id, event, day, occurrences, first_at, last_at)
    SELECT workspace_id, user_id, event, (occurred_at AT TIME ZONE 'UTC')::date,
      count(*), min(occurred_at), max(occurred_at)
    FROM user_events WHERE workspace_id = ${workspaceId} GROUP BY 1, 2, 3, 4`.execute(db);
  // a live database has been vacuumed as its history grew; after a bulk load the visibility map is
  // empty and every index-only scan would visit the heap
  await sql`VACUUM (ANALYZE) user_profiles, user_events, user_event_days`.execute(db);
}

/** Seconds one estimate of the example segment takes (sampled as the API does, or exact), and what it counted. */
export async function segmentEstimate(
  db: Db,
  workspaceId: string,
  exact = false,
): Promise<{ seconds: number; members: number; range: { low: number; high: number } }> {
  const started = performance.now();
  // a figure past the API's 15 s limit is still a figure: the bench lets it finish
  const options = { exact, timeoutMs: 300_000 };
  const reach = await estimateReach(db, workspaceId, segment.conditions, undefined, new Date(), options);
  return { seconds: (performance.now() - started) / 1000, members: reach.members, range: reach.membersRange };
}

/**
 * A one-time segment run through a journey-runner process started as deployed (heap capped as in
 * `deploy/k8s/`): seconds from the run's start until every member is entered and handed to the
 * sync, the members, and the runner's peak RSS meanwhile.
 */
export async function segmentRun(
  ctx: BenchContext,
  db: Db,
  url: string,
  workspaceId: string,
): Promise<{ seconds: number; entered: number; handedOff: number; peakRssMb: number }> {
  const segmentId = randomUUID();
  await insertSegment(db, { id: segmentId, workspaceId, definition: activeUsers, now: new Date() });
  const canvasId = randomUUID();
  const weekly = weeklySegmentCanvasExample(segmentId);
  await seedLaunchedCanvas(db, {
    id: canvasId,
    workspaceId,
    definition: { ...weekly, entry: { ...weekly.entry, segment: { segmentId, runs: { kind: 'once' } } } },
    audience: { adAccountId: randomUUID(), metaAccountId: '9999', audienceId: '238000000000002' },
  });
  const topic = await ctx.topic('segment-run', 1);
  const runner = startRunnerProcess({
    KAFKA_BROKERS: ctx.brokers.join(','),
    EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dlq`,
    CONSUMER_GROUP: `bench-${randomUUID().slice(0, 8)}`,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    SEGMENT_RUN_POLL_INTERVAL: '100ms',
    // BENCH_RUNNER_NODE_OPTIONS, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof, to profile the runner
    NODE_OPTIONS: `${deployedHeapLimit} ${process.env.BENCH_RUNNER_NODE_OPTIONS ?? ''}`.trim(),
  });
  const deadline = Date.now() + 900_000;
  let peakMb = 0;
  let run: { status: string; entered: number; seconds: number | null } | undefined;
  while (Date.now() < deadline) {
    peakMb = Math.max(peakMb, peakRssMb(runner.child.pid!));
    run = (
      await sql<{ status: string; entered: number; seconds: number | null }>`
        SELECT status, entered, extract(epoch FROM finished_at - started_at)::float AS seconds
        FROM segment_runs WHERE canvas_id = ${canvasId}`.execute(db)
    ).rows[0];
    if (run?.status === 'finished') break;
    await sleep(500);
  }
  peakMb = Math.max(peakMb, peakRssMb(runner.child.pid!));
  await runner.stop('SIGTERM');
  if (run?.status !== 'finished') throw new Error('the segment run did not finish within 15 minutes');
  const handedOff = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM audience_entries WHERE canvas_id = ${canvasId}`.execute(db);
  return {
    seconds: run.seconds ?? 0,
    entered: run.entered,
    handedOff: Number(handedOff.rows[0]!.n),
    peakRssMb: peakMb,
  };
}

export interface SegmentFigures {
  /** Null when a kept database was reused. */
  seedSeconds: number | null;
  /** Sampled estimates after the first. */
  estimateSeconds: number[];
  /** The first sampled estimate, reading from disk. */
  estimateColdSeconds: number;
  members: number;
  membersRange: { low: number; high: number };
  /** Exact counts after the first. */
  exactSeconds: number[];
  /** The first exact count, reading what the sampled estimates did not. */
  exactColdSeconds: number;
  exactMembers: number;
  run: Awaited<ReturnType<typeof segmentRun>>;
}

/**
 * Seeds once, estimates `repeats` times, then runs the segment once into a canvas. With
 * BENCH_REUSE_DB=1 the seeded database is kept and reused by later runs of the same size
 * (seedSeconds is then null).
 */
export async function segmentFigures(ctx: BenchContext, users: number, events: number): Promise<SegmentFigures> {
  const kept =
    process.env.BENCH_REUSE_DB === '1'
      ? await keptDatabase(process.env.TEST_DATABASE_TEMPLATE_URL!, 'segments', users, events)
      : undefined;
  const database = kept ?? (await ctx.newDatabase());
  let workspaceId = kept?.seed?.workspaceId;
  let seedSeconds: number | null = null;
  if (workspaceId === undefined) {
    workspaceId = randomUUID();
    const seeding = performance.now();
    await seedSegmentHistory(database.db, workspaceId, users, events);
    seedSeconds = (performance.now() - seeding) / 1000;
    await kept?.remember({ workspaceId, users, events, seededAt: new Date() });
    ctx.log(`  seeded ${users} users and ${events} events in ${Math.round(seedSeconds)} s`);
  } else {
    await clearEarlierRuns(database.db);
    ctx.log(`  reusing ${users} users and ${events} events seeded earlier (BENCH_REUSE_DB=1)`);
  }
  // BENCH_SEGMENT_PARTS (default all): estimate, exact, run — to measure one of them alone
  const parts = new Set((process.env.BENCH_SEGMENT_PARTS ?? 'estimate,exact,run').split(','));
  type Counted = Awaited<ReturnType<typeof segmentEstimate>>;
  const none: Counted = { seconds: Number.NaN, members: 0, range: { low: 0, high: 0 } };
  // the first of each kind reads from disk (after a seed, or on a reused database); reported apart
  const estimate = async (exact: boolean, kind: string): Promise<{ cold: Counted; warm: Counted[] }> => {
    if (!parts.has(kind)) return { cold: none, warm: [none] };
    const cold = await segmentEstimate(database.db, workspaceId, exact);
    const warm: Counted[] = [];
    for (let i = 0; i < ctx.repeats; i += 1) warm.push(await segmentEstimate(database.db, workspaceId, exact));
    ctx.log(
      `  ${kind}: ${warm.map((e) => e.seconds.toFixed(2)).join(', ')} s (cold ${cold.seconds.toFixed(2)} s), ` +
        `${warm[0]!.members} members (${warm[0]!.range.low}–${warm[0]!.range.high})`,
    );
    return { cold, warm };
  };
  const sampled = await estimate(false, 'estimate');
  const exact = await estimate(true, 'exact');
  const noRun = { seconds: Number.NaN, entered: 0, handedOff: 0, peakRssMb: 0 };
  const run = parts.has('run') ? await segmentRun(ctx, database.db, database.url, workspaceId) : noRun;
  ctx.log(`  run: ${run.entered} entered and ${run.handedOff} handed off in ${run.seconds.toFixed(1)} s`);
  await database.drop();
  return {
    seedSeconds,
    estimateSeconds: sampled.warm.map((e) => e.seconds),
    estimateColdSeconds: sampled.cold.seconds,
    members: sampled.warm[0]!.members,
    membersRange: sampled.warm[0]!.range,
    exactSeconds: exact.warm.map((e) => e.seconds),
    exactColdSeconds: exact.cold.seconds,
    exactMembers: exact.warm[0]!.members,
    run,
  };
}
