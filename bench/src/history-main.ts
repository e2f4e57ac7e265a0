// `make bench-history`: only what behaviour history costs the engine (alternating pairs with and
// without it over 100 canvases) and PostgreSQL's write ceiling for the same rows.
import { randomUUID } from 'node:crypto';
import { benchContext } from './context.ts';
import { historyCost } from './history-cost.ts';
import { round } from './stats.ts';
import { benchEvents } from './workload.ts';

const ctx = await benchContext();
const events = ctx.scale === 'full' ? 50_000 : 10_000;
const users = ctx.scale === 'full' ? 20_000 : 5_000;
ctx.log(`history cost over ${events} events, ${ctx.repeats} pair(s)`);
const topic = await ctx.topic('c100');
const workspaceId = randomUUID();
await ctx.produce(topic, benchEvents({ workspaceId, users, events, canvases: 100, seed: 3 }));
const cost = await historyCost(ctx, { topic, workspaceId }, events);
const ratio = round(cost.withHistory.median / cost.withoutHistory.median, 2);
process.stdout.write(`${JSON.stringify({ events, ratioOfMedians: ratio, ...cost }, null, 2)}\n`);
await ctx.close();
