import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { estimateReach } from '@canvas/api';
import { cartAbandonersSegmentExample, SegmentDefinition, weeklySegmentCanvasExample } from '@canvas/canvas';
import { insertSegment, maintainHistoryPartitions, type Db } from '@canvas/db';
import { sleep } from '@canvas/runtime';
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
  const reach = await estimateReach(db, workspaceId, segment.conditions, undefined, new Date(), { exact });
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
    NODE_OPTIONS: deployedHeapLimit,
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
  seedSeconds: number;
  estimateSeconds: number[];
  members: number;
  membersRange: { low: number; high: number };
  exactSeconds: number;
  exactMembers: number;
  run: Awaited<ReturnType<typeof segmentRun>>;
}

/** Seeds once, estimates `repeats` times, then runs the segment once into a canvas. */
export async function segmentFigures(ctx: BenchContext, users: number, events: number): Promise<SegmentFigures> {
  const database = await ctx.newDatabase();
  const workspaceId = randomUUID();
  const seeding = performance.now();
  await seedSegmentHistory(database.db, workspaceId, users, events);
  const seedSeconds = (performance.now() - seeding) / 1000;
  ctx.log(`  seeded ${users} users and ${events} events in ${Math.round(seedSeconds)} s`);
  const estimates: Awaited<ReturnType<typeof segmentEstimate>>[] = [];
  for (let i = 0; i < ctx.repeats; i += 1) estimates.push(await segmentEstimate(database.db, workspaceId));
  const { members, range } = estimates[0]!;
  ctx.log(
    `  estimate: ${estimates.map((e) => e.seconds.toFixed(2)).join(', ')} s, ` +
      `${members} members (${range.low}–${range.high})`,
  );
  const exact = await segmentEstimate(database.db, workspaceId, true);
  ctx.log(`  exact count: ${exact.seconds.toFixed(2)} s, ${exact.members} members`);
  const run = await segmentRun(ctx, database.db, database.url, workspaceId);
  ctx.log(`  run: ${run.entered} entered and ${run.handedOff} handed off in ${run.seconds.toFixed(1)} s`);
  await database.drop();
  return {
    seedSeconds,
    estimateSeconds: estimates.map((e) => e.seconds),
    members,
    membersRange: range,
    exactSeconds: exact.seconds,
    exactMembers: exact.members,
    run,
  };
}
