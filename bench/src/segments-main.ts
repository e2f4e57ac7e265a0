// `make bench-segments`: only the segment figures (estimate and a full run), at the scale of
// BENCH_SEGMENT_USERS users and ten times as many history events.
import { benchContext } from './context.ts';
import { segmentFigures } from './segments.ts';

const ctx = await benchContext();
const users = Number(process.env.BENCH_SEGMENT_USERS ?? (ctx.scale === 'full' ? 1_000_000 : 50_000));
ctx.log(`segments over ${users} users and ${users * 10} events`);
const figures = await segmentFigures(ctx, users, users * 10);
process.stdout.write(`${JSON.stringify({ users, events: users * 10, ...figures }, null, 2)}\n`);
await ctx.close();
