// `make bench-runners`: 1, 2 and 3 journey-runner processes on one six-partition topic, to see
// where throughput stops growing on this machine (BENCH_RUNNER_EVENTS, default 200,000).
import { benchContext } from './context.ts';
import { runnerScaling } from './runner-scaling.ts';

const ctx = await benchContext();
const events = Number(process.env.BENCH_RUNNER_EVENTS ?? (ctx.scale === 'full' ? 200_000 : 40_000));
const figures = await runnerScaling(ctx, events);
process.stdout.write(`${JSON.stringify({ events, ...figures }, null, 2)}\n`);
await ctx.close();
