// `make bench-isolation`: one workspace's ten exact estimates against another workspace's
// canvas list, at BENCH_ISOLATION_USERS users (300,000) and ten times as many history events.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchContext } from './context.ts';
import { isolationFigures } from './isolation.ts';

const ctx = await benchContext();
const users = Number(process.env.BENCH_ISOLATION_USERS ?? (ctx.scale === 'full' ? 300_000 : 30_000));
const seconds = Number(process.env.BENCH_ISOLATION_SECONDS ?? 40);
ctx.log(`isolation over ${users} users and ${users * 10} events, ${seconds} s of load`);
const figures = await isolationFigures(ctx, users, users * 10, seconds);
const date = new Date().toISOString();
const result = {
  date,
  command: `BENCH_ISOLATION_USERS=${users} BENCH_ISOLATION_SECONDS=${seconds} make bench-isolation`,
  machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  ...figures,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (ctx.scale === 'full') {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${date.slice(0, 16).replace(/:/g, '-')}-isolation.json`, `${JSON.stringify(result, null, 2)}\n`);
}
await ctx.close();
