// `make bench-dry-run`: only the dry-run figures (BENCH_DRY_RUN_USERS users, ten history events
// each, every one of them replayed), through the API as deployed.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchContext } from './context.ts';
import { dryRunFigures } from './dry-run.ts';
import { round } from './stats.ts';

const ctx = await benchContext();
const users = Number(process.env.BENCH_DRY_RUN_USERS ?? (ctx.scale === 'full' ? 1_000_000 : 50_000));
ctx.log(`dry run over ${users} users and ${users * 10} events, ${ctx.repeats} run(s)`);
const loadBefore = os.loadavg();
const figures = await dryRunFigures(ctx, users, users * 10);
const result = {
  date: new Date().toISOString(),
  command: `BENCH_DRY_RUN_USERS=${users} BENCH_REPEATS=${ctx.repeats} make bench-dry-run`,
  machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  // other people's work shares the two cores: the 1-minute load average at the start and the end
  loadAverage: { before: round(loadBefore[0]!, 2), after: round(os.loadavg()[0]!, 2) },
  reusedDatabase: process.env.BENCH_REUSE_DB === '1',
  ...figures,
};
const text = `${JSON.stringify(result, null, 2)}\n`;
process.stdout.write(text);
if (ctx.scale === 'full') {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${new Date().toISOString().slice(0, 16).replace(/:/g, '-')}-dry-run.json`, text);
}
await ctx.close();
