import { runnersThroughput, type RunnerCountResult } from './runners.ts';
import type { BenchContext } from './context.ts';

export interface RunnerScaling {
  runs: RunnerCountResult[];
  /** Throughput of n runners ÷ one runner, for n = 1, 2, 3. */
  speedup: number[];
  /** The smallest runner count past which one more adds less than 10 %. */
  stopsGrowingAt: number;
}

/** Throughput of one, two and three runner processes on the same workload. */
export async function runnerScaling(ctx: BenchContext, events: number): Promise<RunnerScaling> {
  const runs: RunnerCountResult[] = [];
  for (const count of [1, 2, 3]) {
    const run = await runnersThroughput(ctx, count, events, Math.min(100_000, events / 5));
    ctx.log(`  ${count} runner(s): ${Math.round(run.eventsPerSecond)} events/s, ${Math.round(run.peakRssMb)} MB RSS`);
    runs.push(run);
  }
  const speedup = runs.map((run) => Number((run.eventsPerSecond / runs[0]!.eventsPerSecond).toFixed(2)));
  const grows = (i: number) => runs[i]!.eventsPerSecond >= 1.1 * runs[i - 1]!.eventsPerSecond;
  const stopsGrowingAt = grows(1) ? (grows(2) ? 3 : 2) : 1;
  return { runs, speedup, stopsGrowingAt };
}
