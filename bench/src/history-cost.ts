import type { Db } from '@canvas/db';
import type { BenchContext } from './context.ts';
import { runEngine } from './engine.ts';
import { figure, type Figure } from './stats.ts';
import { seedBenchCanvases } from './workload.ts';
import { databaseWriteCeiling } from './write-ceiling.ts';

export interface HistoryCost {
  withHistory: Figure;
  withoutHistory: Figure;
  /** Each pair's ratio, with history ÷ without. */
  pairRatios: Figure;
  writeCeiling: Figure;
}

/**
 * The engine over 100 canvases with behaviour history and without it, in alternating pairs on
 * the same topic (so drift of the machine during the run falls on both sides), and PostgreSQL's
 * write ceiling for the rows each run with history left behind.
 */
export async function historyCost(
  ctx: BenchContext,
  workload: { topic: string; workspaceId: string },
  events: number,
): Promise<HistoryCost> {
  const { topic, workspaceId } = workload;
  const once = async (withoutHistory: boolean, afterRun?: (db: Db) => Promise<void>) => {
    const database = await ctx.newDatabase();
    await seedBenchCanvases(database.db, workspaceId, 100);
    const rate = await runEngine(ctx, { db: database.db, url: database.url, topic, total: events, withoutHistory });
    await afterRun?.(database.db);
    await database.drop();
    return rate;
  };
  const on: number[] = [];
  const off: number[] = [];
  const ceilings: number[] = [];
  for (let i = 0; i < ctx.repeats; i += 1) {
    // the side that goes first alternates too
    const first = i % 2 === 0;
    const withHistory = async () =>
      on.push(await once(false, async (db) => void ceilings.push(await databaseWriteCeiling(db, events))));
    const withoutHistory = async () => off.push(await once(true));
    if (first) await withHistory();
    await withoutHistory();
    if (!first) await withHistory();
    ctx.log(
      `  100 canvases: ${Math.round(on.at(-1)!)} events/s with history, ${Math.round(off.at(-1)!)} without; ` +
        `write ceiling ${Math.round(ceilings.at(-1)!)} events/s`,
    );
  }
  return {
    withHistory: figure(on),
    withoutHistory: figure(off),
    pairRatios: figure(on.map((rate, i) => rate / off[i]!)),
    writeCeiling: figure(ceilings),
  };
}
