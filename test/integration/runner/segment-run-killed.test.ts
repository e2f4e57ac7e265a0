import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { weeklySegmentCanvasExample } from '@canvas/canvas';
import {
  cartAbandonerIds,
  createShopperBed,
  insertCartAbandonersSegment,
  seedLaunchedCanvas,
  startReadyRunner,
  startRunnerProcess,
  waitFor,
  type RunnerTestBed,
} from '@canvas/test-support';

describe('a segment run killed mid-run', () => {
  let bed: RunnerTestBed;
  const now = new Date();

  beforeAll(async () => {
    bed = await createShopperBed(8_000, now, 11);
  });
  afterAll(async () => bed.close());

  it('enters every member exactly once after a SIGKILL and a restart', async () => {
    const db = bed.database.db;
    const segmentId = await insertCartAbandonersSegment(bed, now);
    const canvasId = randomUUID();
    const definition = weeklySegmentCanvasExample(segmentId);
    await seedLaunchedCanvas(db, {
      id: canvasId,
      workspaceId: bed.workspaceId,
      definition: { ...definition, entry: { ...definition.entry, segment: { segmentId, runs: { kind: 'once' } } } },
      audience: { adAccountId: randomUUID(), metaAccountId: '555', audienceId: '777' },
    });
    const expected = await cartAbandonerIds(db, bed.workspaceId, now);
    expect(expected.length).toBeGreaterThan(1000);

    const run = async () =>
      (
        await sql<{ status: string; entered: number; evaluated: number; candidates: number | null }>`
          SELECT status, entered, evaluated, candidates FROM segment_runs WHERE canvas_id = ${canvasId}`.execute(db)
      ).rows[0];
    // small slices, so the run spans many transactions and a kill lands inside it
    const env = bed.env({ SEGMENT_RUN_SLICE: '100', SEGMENT_RUN_POLL_INTERVAL: '100ms' });
    const started = Date.now();
    const first = startRunnerProcess(env);
    await waitFor(async () => ((await run())?.entered ?? 0) > 200, { what: 'the run under way', intervalMs: 20 });
    await first.stop('SIGKILL');
    const killedAt = await run();
    expect(killedAt?.status).toBe('running');
    expect(killedAt!.entered).toBeLessThan(expected.length);

    const second = await startReadyRunner(env);
    await waitFor(async () => (await run())?.status === 'finished', { what: 'the run finished', timeoutMs: 120_000 });
    await second.stop('SIGTERM');
    console.info(
      `segment run: killed after ${killedAt!.entered} entered, ` +
        `finished ${Date.now() - started} ms after the first start`,
    );

    const finished = await run();
    expect(finished).toMatchObject({ entered: expected.length, evaluated: finished!.candidates });
    const journeys = await sql<{ user_id: string; entry_seq: number }>`
      SELECT user_id, entry_seq FROM journeys WHERE canvas_id = ${canvasId} ORDER BY user_id`.execute(db);
    expect(journeys.rows.map((j) => j.user_id)).toEqual(expected);
    expect(new Set(journeys.rows.map((j) => j.entry_seq))).toEqual(new Set([1]));
    const handoffs = await sql<{ n: string; users: string }>`
      SELECT count(*) AS n, count(DISTINCT user_id) AS users
      FROM audience_entries WHERE canvas_id = ${canvasId}`.execute(db);
    expect(handoffs.rows[0]).toEqual({ n: String(expected.length), users: String(expected.length) });
    const counters = await sql<{ metric: string; total: string }>`
      SELECT metric, sum(value)::text AS total FROM step_counters WHERE canvas_id = ${canvasId} AND step_id = '$canvas'
      GROUP BY metric ORDER BY metric`.execute(db);
    // each member entered once and, the Facebook step being the last, completed
    expect(counters.rows).toEqual([
      { metric: 'completed', total: String(expected.length) },
      { metric: 'entered', total: String(expected.length) },
    ]);
    const left = await sql<{ n: string }>`SELECT count(*) AS n FROM segment_run_candidates`.execute(db);
    expect(left.rows[0]!.n).toBe('0');
  });
});
