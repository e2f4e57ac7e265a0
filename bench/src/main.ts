// `make bench`: throughput, latency, quota use and memory of the engine, beside the ceilings of
// this machine. Prints a table and writes bench/results/<date>.json and .md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { brokerCeiling, clientCeiling } from './ceilings.ts';
import { benchContext, deployedHeapLimit } from './context.ts';
import { runEngine } from './engine.ts';
import { seedJourneyState } from './growth.ts';
import { latency, pipelineCapacity, type LatencyResult } from './latency.ts';
import { runnerPeakRss } from './memory.ts';
import { figure, repeat, round, type Figure } from './stats.ts';
import { historyCost } from './history-cost.ts';
import { quotaUse, syncPeakRss, syncThroughput } from './sync.ts';
import { isolationFigures } from './isolation.ts';
import { segmentFigures } from './segments.ts';
import { dryRunFigures } from './dry-run.ts';
import { runnerScaling } from './runner-scaling.ts';
import { benchEvents, seedBenchCanvases } from './workload.ts';

const ctx = await benchContext();
const full = ctx.scale === 'full';
const size = {
  ceilingEvents: full ? 300_000 : 50_000,
  events: full ? 50_000 : 10_000,
  naiveEvents: full ? 4_000 : 1_000,
  users: full ? 20_000 : 5_000,
  latencySeconds: full ? 30 : 10,
  capacitySeconds: full ? 20 : 10,
  syncUsers: full ? 200_000 : 50_000,
  quotaUsers: full ? 30_000 : 10_000,
  memoryEvents: full ? 1_000_000 : 100_000,
  memoryUsers: full ? 1_000_000 : 100_000,
  memoryLimitMs: full ? 240_000 : 60_000,
  growthRows: full ? [100_000, 10_000_000] : [10_000, 100_000],
  segmentUsers: full ? 1_000_000 : 50_000,
  isolationUsers: full ? 300_000 : 30_000,
  dryRunUsers: full ? 1_000_000 : 50_000,
  runnerEvents: full ? 200_000 : 40_000,
};
ctx.log(`scale ${ctx.scale}, ${ctx.repeats} run(s) per figure; ${ctx.infrastructure.description.join('; ')}`);
const results: Record<string, Figure | Record<string, unknown>> = {};

async function workloadTopic(
  canvases: number,
  seed: number,
  prefix = 'bench',
  events = size.events,
): Promise<{ topic: string; workspaceId: string }> {
  const topic = await ctx.topic(`c${canvases}`);
  const workspaceId = randomUUID();
  await ctx.produce(topic, benchEvents({ workspaceId, users: size.users, events, canvases, seed, userPrefix: prefix }));
  return { topic, workspaceId };
}

async function engine(canvases: number, topic: string, workspaceId: string, total: number, batchMax?: number) {
  return repeat(ctx.repeats, async () => {
    const database = await ctx.newDatabase();
    await seedBenchCanvases(database.db, workspaceId, canvases);
    const rate = await runEngine(ctx, {
      db: database.db,
      url: database.url,
      topic,
      total,
      ...(batchMax ? { batchMax } : {}),
    });
    await database.drop();
    const note = batchMax ? ' (naive)' : '';
    ctx.log(`  ${canvases} canvases${note}: ${Math.round(rate)} events/s`);
    return rate;
  });
}

// 1. ceilings, on a longer topic of the same events
ctx.log('1/8 ceilings');
const ceiling = await workloadTopic(100, 2, 'ceiling', size.ceilingEvents);
results.brokerCeiling = await repeat(ctx.repeats, async () =>
  brokerCeiling(ctx.brokers, ceiling.topic, size.ceilingEvents),
);
results.clientCeiling = await repeat(ctx.repeats, async () =>
  clientCeiling(ctx.brokers, ceiling.topic, size.ceilingEvents),
);
const hundred = await workloadTopic(100, 3);

// 2. engine throughput
ctx.log('2/8 engine throughput');
const one = await workloadTopic(1, 3);
const thousand = await workloadTopic(1000, 3);
results.engine1 = await engine(1, one.topic, one.workspaceId, size.events);
const history = await historyCost(ctx, hundred, size.events);
results.engine100 = history.withHistory;
results.engine100NoHistory = history.withoutHistory;
results.historyPairRatio = history.pairRatios;
results.databaseWriteCeiling = history.writeCeiling;
results.engine1000 = await engine(1000, thousand.topic, thousand.workspaceId, size.events);
results.naive100 = await engine(100, hundred.topic, hundred.workspaceId, size.naiveEvents, 1);

// 3. latency at three quarters of what the latency setup itself sustains (runner and sync
// processes, producer and sandbox on this machine), not of the in-process engine alone
ctx.log('3/8 latency');
results.pipelineCapacity = await repeat(ctx.repeats, async () => {
  const capacity = await pipelineCapacity(ctx, size.capacitySeconds);
  ctx.log(`  pipeline as deployed: ${Math.round(capacity.eventsPerSecond)} events/s (load ${capacity.loadAfter[0]})`);
  return capacity.eventsPerSecond;
});
const latencyLoad = Math.round((results.pipelineCapacity.median * 3) / 4);
const latencyRuns: LatencyResult[] = [];
for (let i = 0; i < ctx.repeats; i += 1) latencyRuns.push(await latency(ctx, latencyLoad, size.latencySeconds));
results.latencyP50 = figure(latencyRuns.map((r) => r.p50));
results.latencyP99 = figure(latencyRuns.map((r) => r.p99));
results.latencyRunnerP99 = figure(latencyRuns.map((r) => r.runnerP99));
results.latencySyncP99 = figure(latencyRuns.map((r) => r.syncP99));

// 4. audience sync
ctx.log('4/8 audience sync');
const syncRuns: { usersPerSecond: number; meanBatch: number }[] = [];
for (let i = 0; i < ctx.repeats; i += 1) syncRuns.push(await syncThroughput(size.syncUsers));
results.syncUsersPerSecond = figure(syncRuns.map((r) => r.usersPerSecond));
results.syncMeanBatch = figure(syncRuns.map((r) => r.meanBatch));
const quotaRuns: { meanUse: number; minUse: number; maxUse: number }[] = [];
for (let i = 0; i < ctx.repeats; i += 1) quotaRuns.push(await quotaUse(size.quotaUsers));
results.quotaMeanUse = figure(quotaRuns.map((r) => r.meanUse * 100));
results.quotaMinWindowUse = figure(quotaRuns.map((r) => r.minUse * 100));
results.quotaMaxWindowUse = figure(quotaRuns.map((r) => r.maxUse * 100));

// 5. memory under backlogs
ctx.log('5/8 memory');
// with Node's default heap sizing, and with the heap limit deploy/k8s sets under its 512 Mi limit
const heapLimit = deployedHeapLimit;
const runnerMemory = await runnerPeakRss(ctx, size.memoryEvents, size.memoryLimitMs);
const runnerCapped = await runnerPeakRss(ctx, size.memoryEvents, size.memoryLimitMs, heapLimit);
const syncMemory = await syncPeakRss(size.memoryUsers, size.memoryLimitMs);
const syncCapped = await syncPeakRss(size.memoryUsers, size.memoryLimitMs, heapLimit);
/** A peak-memory figure with the backlog it was measured under and how much of it was worked off. */
const memoryFigure = (peakMb: number, backlog: number, done: Record<string, number>, nodeOptions?: string) => ({
  ...figure([peakMb]),
  backlog,
  ...done,
  ...(nodeOptions ? { nodeOptions } : {}),
});
results.runnerPeakRssMb = memoryFigure(runnerMemory.peakMb, size.memoryEvents, {
  processedInRun: runnerMemory.applied,
});
results.runnerPeakRssCappedMb = memoryFigure(
  runnerCapped.peakMb,
  size.memoryEvents,
  { processedInRun: runnerCapped.applied },
  heapLimit,
);
results.syncPeakRssMb = memoryFigure(syncMemory.peakMb, size.memoryUsers, { deliveredInRun: syncMemory.delivered });
results.syncPeakRssCappedMb = memoryFigure(
  syncCapped.peakMb,
  size.memoryUsers,
  { deliveredInRun: syncCapped.delivered },
  heapLimit,
);

// 6. growth: per-event cost with 10^5 and 10^7 journey-state rows
ctx.log('6/8 growth');
for (const rows of size.growthRows) {
  const database = await ctx.newDatabase();
  const workload = await workloadTopic(100, 5, `g${rows}`);
  await seedBenchCanvases(database.db, workload.workspaceId, 100);
  ctx.log(`  seeding ${rows} journey-state rows`);
  await seedJourneyState(database.db, workload.workspaceId, rows);
  const costs: number[] = [];
  for (let i = 0; i < ctx.repeats; i += 1) {
    const again = i === 0 ? workload : await workloadTopic(100, 5 + i, `g${rows}r${i}`);
    if (i > 0) {
      // the same canvases, for the next run's workspace
      await seedBenchCanvases(database.db, again.workspaceId, 100);
    }
    const rate = await runEngine(ctx, { db: database.db, url: database.url, topic: again.topic, total: size.events });
    costs.push(1_000_000 / rate);
    ctx.log(`  ${rows} rows: ${Math.round(rate)} events/s`);
  }
  results[`costUsPerEventAt${rows}`] = figure(costs);
  await database.drop();
}
// 7. segments: estimate and a full run over users with ten history events each
ctx.log('7/8 segments');
const segments = await segmentFigures(ctx, size.segmentUsers, size.segmentUsers * 10);
results.segmentEstimateSeconds = figure(segments.estimateSeconds);
results.segmentEstimateColdSeconds = figure([segments.estimateColdSeconds]);
results.segmentExactSeconds = figure(segments.exactSeconds);
results.segmentExactColdSeconds = figure([segments.exactColdSeconds]);
results.segmentRunSeconds = { ...figure([segments.run.seconds]), entered: segments.run.entered };
results.segmentRunPeakRssMb = figure([segments.run.peakRssMb]);
// 8. isolation: another workspace's requests while one runs ten exact estimates
ctx.log('8/8 isolation');
const isolation = await isolationFigures(ctx, size.isolationUsers, size.isolationUsers * 10, 40);
results.isolationOtherWorkspaceP99Ms = { ...figure([isolation.loaded.p99]), ...isolation };
// 9. dry run: a two-branch canvas replayed over every user's history, through the API as deployed
ctx.log('and a dry run');
const dryRun = await dryRunFigures(ctx, size.dryRunUsers, size.dryRunUsers * 10);
results.dryRunSeconds = { ...figure(dryRun.runSeconds), ...dryRun };
results.dryRunPeakRssMb = figure([dryRun.peakRssMb]);
// 10. scale-out: one, two and three runner processes in one group on six partitions
ctx.log('and 1, 2, 3 runner processes');
const scaling = await runnerScaling(ctx, size.runnerEvents);
for (const run of scaling.runs) results[`runners${run.runners}`] = { ...figure([run.eventsPerSecond]), ...run };
await ctx.close();

// the report
const f = (key: string) => results[key] as Figure;
const ratio = (a: number, b: number) => round(a / b, 2);
const growthKeys = size.growthRows.map((rows) => `costUsPerEventAt${rows}`);
/** A check of one figure against a bound: `min` or `max` says which side must hold. */
const bound = (target: string, value: number, digits: number, side: 'min' | 'max', limit: number) => ({
  target,
  value: round(value, digits),
  ok: side === 'min' ? value >= limit : value <= limit,
});
const peakRss = (key: string, label: string, limit = 512) =>
  bound(`${label} ≤ ${limit} MB`, f(key).max, 0, 'max', limit);
const checks = [
  {
    target: 'engine (100 canvases) ≥ 0.5 × bare kafkajs consumer',
    value: ratio(f('engine100').median, f('clientCeiling').median),
    ok: f('engine100').median >= 0.5 * f('clientCeiling').median,
  },
  {
    target: 'engine (100 canvases) ≥ 0.6 × the PostgreSQL write ceiling for its rows',
    value: ratio(f('engine100').median, f('databaseWriteCeiling').median),
    ok: f('engine100').median >= 0.6 * f('databaseWriteCeiling').median,
  },
  {
    target: 'engine with behaviour history ≥ 0.9 × without it (medians; runs in alternating pairs)',
    value: ratio(f('engine100').median, f('engine100NoHistory').median),
    ok: f('engine100').median >= 0.9 * f('engine100NoHistory').median,
  },
  {
    target: 'engine ≥ 10 × naive runner (one transaction per event)',
    value: ratio(f('engine100').median, f('naive100').median),
    ok: f('engine100').median >= 10 * f('naive100').median,
  },
  bound(
    'p99 produce → Meta ≤ 5.5 s at three-quarter load of the pipeline as deployed on this machine',
    f('latencyP99').median,
    2,
    'max',
    5.5,
  ),
  bound('mean batch ≥ 9,500 users under backlog', f('syncMeanBatch').median, 0, 'min', 9500),
  bound('quota use ≥ 95 % in every full window', f('quotaMinWindowUse').median, 1, 'min', 95),
  bound('quota use never above 100 %', f('quotaMaxWindowUse').max, 1, 'max', 100),
  peakRss('runnerPeakRssMb', 'runner peak RSS (default heap sizing)', 400),
  peakRss('runnerPeakRssCappedMb', `runner peak RSS (${heapLimit}, as deployed)`),
  peakRss('syncPeakRssMb', 'sync peak RSS (default heap sizing)'),
  peakRss('syncPeakRssCappedMb', `sync peak RSS (${heapLimit}, as deployed)`),
  {
    target: `cost at ${size.growthRows[1]} rows ≤ 1.3 × at ${size.growthRows[0]}`,
    value: ratio(f(growthKeys[1]!).median, f(growthKeys[0]!).median),
    ok: f(growthKeys[1]!).median <= 1.3 * f(growthKeys[0]!).median,
  },
  bound('segment estimate (sampled, warm) ≤ 1 s', f('segmentEstimateSeconds').median, 2, 'max', 1),
  bound('segment exact count (warm) ≤ 5 s', f('segmentExactSeconds').median, 2, 'max', 5),
  bound(
    'segment run entering every member and handing them to the sync ≤ 60 s',
    f('segmentRunSeconds').max,
    1,
    'max',
    60,
  ),
  bound(
    `runner peak RSS during the segment run (${heapLimit}, as deployed) ≤ 300 MB`,
    f('segmentRunPeakRssMb').max,
    0,
    'max',
    300,
  ),
  bound(
    "another workspace's canvas list p99 ≤ 100 ms while one runs ten exact estimates",
    f('isolationOtherWorkspaceP99Ms').median,
    1,
    'max',
    100,
  ),
  bound(
    `dry run over ${size.dryRunUsers} users / ${size.dryRunUsers * 10} events ≤ 60 s`,
    f('dryRunSeconds').max,
    1,
    'max',
    60,
  ),
  peakRss('dryRunPeakRssMb', `API peak RSS during the dry runs (${heapLimit}, as deployed)`),
  {
    target: `runner processes past which one more adds < 10 % on this machine (reported, no target)`,
    value: scaling.stopsGrowingAt,
    ok: true,
  },
  {
    target: 'cost with 1,000 canvases ≤ 1.3 × with 1',
    value: ratio(f('engine1').median, f('engine1000').median),
    ok: f('engine1').median / f('engine1000').median <= 1.3,
  },
];
const labels: Record<string, string> = {
  brokerCeiling: 'Kafka ConsumerPerformance (broker ceiling), msg/s',
  clientCeiling: 'bare kafkajs eachBatch + JSON (client ceiling), msg/s',
  databaseWriteCeiling:
    "PostgreSQL write ceiling: the engine run's rows by bulk INSERT … SELECT, 2,000 per commit, events/s",
  engine1: 'engine, 1 canvas, events/s',
  engine100:
    'engine in-process, 100 canvases (with behaviour history; topic pre-filled, nothing else running), events/s',
  engine100NoHistory: 'engine, 100 canvases, history off (HISTORY_RECORDING=false), events/s',
  historyPairRatio: 'engine with history ÷ without, per alternating pair',
  engine1000: 'engine, 1,000 canvases, events/s',
  naive100: 'naive runner (1 tx/event), 100 canvases, events/s',
  pipelineCapacity:
    'pipeline as deployed (runner + sync processes, producer and sandbox on this machine), events/s sustained',
  latencyP50: `produce → Meta p50, s (at ${latencyLoad} events/s, ¾ of the pipeline as deployed)`,
  latencyP99: `produce → Meta p99, s (at ${latencyLoad} events/s, ¾ of the pipeline as deployed)`,
  latencyRunnerP99: 'of which produce → hand-off to the sync, p99, s',
  latencySyncP99: 'of which hand-off → Meta (5 s window included), p99, s',
  syncUsersPerSecond: 'audience sync, users/s delivered',
  syncMeanBatch: 'audience sync, mean users per request',
  quotaMeanUse: 'quota use, mean over full windows, %',
  quotaMinWindowUse: 'quota use, lowest full window, %',
  quotaMaxWindowUse: 'quota use, highest window, %',
  runnerPeakRssMb: `runner peak RSS, MB (${size.memoryEvents} events backlog)`,
  runnerPeakRssCappedMb: `runner peak RSS with ${heapLimit}, MB`,
  syncPeakRssMb: `sync peak RSS, MB (${size.memoryUsers} pending users)`,
  syncPeakRssCappedMb: `sync peak RSS with ${heapLimit}, MB`,
  segmentEstimateSeconds:
    'segment estimate (sampled, as the API answers), s ' +
    `(${size.segmentUsers} users, ${size.segmentUsers * 10} events; ` +
    `${segments.members} members, 95 % ${segments.membersRange.low}–${segments.membersRange.high})`,
  segmentEstimateColdSeconds: 'segment estimate, the first (cold: read from disk), s',
  segmentExactSeconds: `segment exact count (?exact=true), s (${segments.exactMembers} members)`,
  segmentExactColdSeconds: 'segment exact count, the first (cold: after the sampled estimates), s',
  segmentRunSeconds:
    'segment run over every user (all active in 60 days), s ' +
    `(${segments.run.entered} entered and handed to the sync)`,
  segmentRunPeakRssMb: `runner peak RSS during the segment run (${heapLimit}, as deployed), MB`,
  isolationOtherWorkspaceP99Ms: "another workspace's GET /v1/canvases p99 during ten exact estimates, ms",
  dryRunSeconds:
    `dry run of a two-branch canvas, s (${size.dryRunUsers} users, ${size.dryRunUsers * 10} events, ` +
    `${dryRun.historyRows} history rows read, ${dryRun.entered} entered)`,
  dryRunPeakRssMb: `API peak RSS during the dry runs (${heapLimit}, as deployed), MB`,
  ...Object.fromEntries(
    scaling.runs.map((run) => [
      `runners${run.runners}`,
      `${run.runners} runner process(es), one group, 6 partitions, events/s (${size.runnerEvents} events)`,
    ]),
  ),
  ...Object.fromEntries(growthKeys.map((k, i) => [k, `per-event cost with ${size.growthRows[i]} journey rows, µs`])),
};
const lines = ['| figure | median | min | max |', '| --- | ---: | ---: | ---: |'];
for (const [key, label] of Object.entries(labels))
  lines.push(`| ${label} | ${round(f(key).median)} | ${round(f(key).min)} | ${round(f(key).max)} |`);
lines.push('', '| target | measured | met |', '| --- | ---: | :---: |');
for (const c of checks) lines.push(`| ${c.target} | ${c.value} | ${c.ok ? 'yes' : 'no'} |`);
const date = new Date().toISOString();
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  scale: ctx.scale,
  repeats: ctx.repeats,
};
const directory = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(directory, { recursive: true });
const stamp = date.slice(0, 19).replace(/:/g, '-');
writeFileSync(`${directory}${stamp}.json`, `${JSON.stringify({ date, machine, results, checks }, null, 2)}\n`);
writeFileSync(
  `${directory}${stamp}.md`,
  `# Benchmark ${date}\n\n` +
    `${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GiB, Node ${machine.node}; ` +
    `scale ${ctx.scale}, ${ctx.repeats} run(s) per figure (median, min, max).\n\n${lines.join('\n')}\n`,
);
process.stdout.write(`${lines.join('\n')}\n\nwritten to bench/results/${stamp}.json and .md\n`);
