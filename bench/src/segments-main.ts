// `make bench-segments`: only the segment figures (estimate and a full run), at the scale of
// BENCH_SEGMENT_USERS users and ten times as many history events. A run at 1,000,000 users or
// more also writes its figures to bench/results/<date>-segments.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchContext } from './context.ts';
import { segmentFigures } from './segments.ts';

const ctx = await benchContext();
const users = Number(process.env.BENCH_SEGMENT_USERS ?? (ctx.scale === 'full' ? 1_000_000 : 50_000));
ctx.log(`segments over ${users} users and ${users * 10} events`);
const figures = await segmentFigures(ctx, users, users * 10);
const date = new Date().toISOString();
const result = {
  date,
  command: [
    ...['BENCH_REPEATS', 'BENCH_REUSE_DB', 'BENCH_SEGMENT_PARTS'].flatMap((k) =>
      process.env[k] ? [`${k}=${process.env[k]}`] : [],
    ),
    `BENCH_SEGMENT_USERS=${users} make bench-segments`,
  ].join(' '),
  machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  users,
  events: users * 10,
  ...figures,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (users >= 1_000_000) {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${date.slice(0, 16).replace(':', '-')}-segments.json`, `${JSON.stringify(result, null, 2)}\n`);
}
await ctx.close();
