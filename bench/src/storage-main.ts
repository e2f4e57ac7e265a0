// `pnpm run bench:storage`: rows and bytes the engine leaves per applied event, per table (docs/scaling.md).
// One engine run over 100 canvases with behaviour history; sizes read after VACUUM ANALYZE, indexes included.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { benchContext } from './context.ts';
import { runEngine } from './engine.ts';
import { benchEvents, seedBenchCanvases } from './workload.ts';

const ctx = await benchContext();
const events = Number(process.env.BENCH_STORAGE_EVENTS ?? (ctx.scale === 'full' ? 50_000 : 20_000));
const users = Math.round(events / 2.5); // 2.5 events a user, as the full engine figures (50,000 over 20,000)
const topic = await ctx.topic('storage');
const workspaceId = randomUUID();
await ctx.produce(topic, benchEvents({ workspaceId, users, events, canvases: 100, seed: 7 }));
const database = await ctx.newDatabase();
await seedBenchCanvases(database.db, workspaceId, 100);
// CPU of this database's PostgreSQL backends (from /proc, in clock ticks of 10 ms), sampled so none is missed
const backendTicks = new Map<number, number>();
const sampleBackends = async () => {
  const pids = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(database.db);
  for (const { pid } of pids.rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      backendTicks.set(pid, Math.max(backendTicks.get(pid) ?? 0, Number(fields[11]) + Number(fields[12])));
    } catch {
      // the backend ended between the two reads
    }
  }
};
await sampleBackends();
const before = new Map(backendTicks);
const nodeBefore = process.cpuUsage();
const sampler = setInterval(() => void sampleBackends(), 200);
const rate = await runEngine(ctx, { db: database.db, url: database.url, topic, total: events });
clearInterval(sampler);
await sampleBackends();
const node = process.cpuUsage(nodeBefore);
const postgresSeconds = [...backendTicks].reduce((sum, [pid, t]) => sum + t - (before.get(pid) ?? 0), 0) / 100;
const cpu = {
  postgresBackendSeconds: postgresSeconds,
  postgresEventsPerCoreSecond: Math.round(events / postgresSeconds),
  runnerSeconds: (node.user + node.system) / 1e6,
  runnerEventsPerCoreSecond: Math.round(events / ((node.user + node.system) / 1e6)),
};
await sql`VACUUM ANALYZE`.execute(database.db);
// a partitioned table's rows and bytes are its partitions'
const rows = await sql<{ table: string; rows: string; bytes: string }>`
  SELECT coalesce(p.relname, c.relname) AS table, sum(s.n_live_tup)::text AS rows,
    sum(pg_total_relation_size(c.oid))::text AS bytes
  FROM pg_class c
  JOIN pg_stat_user_tables s ON s.relid = c.oid
  LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
  WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
  GROUP BY 1 HAVING sum(s.n_live_tup) > 0 ORDER BY sum(pg_total_relation_size(c.oid)) DESC`.execute(database.db);
const perTable = rows.rows.map((r) => ({
  table: r.table,
  rows: Number(r.rows),
  bytes: Number(r.bytes),
  rowsPerEvent: Number((Number(r.rows) / events).toFixed(3)),
  bytesPerEvent: Math.round(Number(r.bytes) / events),
}));
const total = perTable.reduce((sum, t) => ({ rows: sum.rows + t.rows, bytes: sum.bytes + t.bytes }), {
  rows: 0,
  bytes: 0,
});
await database.drop();
process.stdout.write(
  `${JSON.stringify({ events, users, eventsPerSecond: Math.round(rate), cpu, total, perTable }, null, 2)}\n`,
);
await ctx.close();
