// `make bench-dry-run`: only the dry-run figures (BENCH_DRY_RUN_USERS users, ten history events
// each, every one of them replayed), through the API as deployed.
import { benchContext } from './context.ts';
import { dryRunFigures } from './dry-run.ts';

const ctx = await benchContext();
const users = Number(process.env.BENCH_DRY_RUN_USERS ?? (ctx.scale === 'full' ? 1_000_000 : 50_000));
ctx.log(`dry run over ${users} users and ${users * 10} events, ${ctx.repeats} run(s)`);
const figures = await dryRunFigures(ctx, users, users * 10);
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
await ctx.close();
