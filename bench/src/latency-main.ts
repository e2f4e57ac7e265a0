// `make bench-latency`: the sustained rate of the latency setup (runner + sync processes, the
// producer and the sandbox on this machine), then produce → Meta at three quarters of it.
// Writes bench/results/<date>-latency.json with the load average around every run.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchContext } from './context.ts';
import { latency, pipelineCapacity, type CapacityResult, type LatencyResult } from './latency.ts';
import { figure } from './stats.ts';

const ctx = await benchContext();
const seconds = Number(process.env.BENCH_LATENCY_SECONDS ?? (ctx.scale === 'full' ? 30 : 10));
const capacitySeconds = Number(process.env.BENCH_CAPACITY_SECONDS ?? (ctx.scale === 'full' ? 20 : 10));
// BENCH_LATENCY_RATE: a fixed rate instead of three quarters of the capacity, to compare changes at one load
const fixedRate = process.env.BENCH_LATENCY_RATE ? Number(process.env.BENCH_LATENCY_RATE) : undefined;
const capacities: CapacityResult[] = [];
for (let i = 0; i < (fixedRate ? 0 : ctx.repeats); i += 1) {
  capacities.push(await pipelineCapacity(ctx, capacitySeconds));
  ctx.log(`  pipeline capacity: ${Math.round(capacities[i]!.eventsPerSecond)} events/s`);
}
const capacity = capacities.length > 0 ? figure(capacities.map((c) => c.eventsPerSecond)) : undefined;
const rate = fixedRate ?? Math.round((capacity!.median * 3) / 4);
const runs: LatencyResult[] = [];
for (let i = 0; i < ctx.repeats; i += 1) {
  runs.push(await latency(ctx, rate, seconds));
  const r = runs[i]!;
  const parts = `runner ${r.runnerP99}, sync ${r.syncP99}; load ${r.loadAfter[0]}`;
  ctx.log(`  at ${rate} events/s: p50 ${r.p50} s, p99 ${r.p99} s (${parts})`);
}
await ctx.close();

const date = new Date().toISOString();
const results = {
  pipelineCapacity: capacity ? { ...capacity, capacities } : 'not measured (BENCH_LATENCY_RATE set)',
  rate,
  latencyP50: figure(runs.map((r) => r.p50)),
  latencyP99: figure(runs.map((r) => r.p99)),
  latencyRunnerP99: figure(runs.map((r) => r.runnerP99)),
  latencySyncP99: figure(runs.map((r) => r.syncP99)),
  latencySyncP50: figure(runs.map((r) => r.syncP50)),
  latencyRunnerP50: figure(runs.map((r) => r.runnerP50)),
  runnerTxMeanMs: figure(runs.map((r) => r.runnerTxMeanMs)),
  runnerTxMeanMessages: figure(runs.map((r) => r.runnerTxMeanMessages)),
  runs,
};
const machine = { cpus: os.cpus().length, node: process.version, scale: ctx.scale, repeats: ctx.repeats };
const directory = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(directory, { recursive: true });
const stamp = date.slice(0, 16).replace(/:/g, '-');
writeFileSync(`${directory}${stamp}-latency.json`, `${JSON.stringify({ date, machine, results }, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten to bench/results/${stamp}-latency.json\n`);
