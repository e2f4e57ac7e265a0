import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import {
  prng,
  startSyncHarness,
  startSyncProcess,
  stepTotals,
  syntheticUsers,
  waitFor,
  waitForLog,
  type ServiceProcess,
  type SyncHarness,
} from '@canvas/test-support';

describe('audience sync killed mid-flush', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => h.close());

  it(
    'leaves every user in exactly one status, counters that add up, and the audience ' + 'equal to the Synced set',
    async () => {
      const account = await h.connectAccount();
      const canvas = await h.canvasWithAudience(account);
      await h.enter(canvas, account, syntheticUsers('k', 20_000));
      // slow answers, so kills land while requests are in flight
      h.sandbox.state.faults.add({ kind: 'latency', latencyMs: 400 });
      const env = h.syncEnv({
        SYNC_MAX_USERS_PER_REQUEST: '500',
        META_MAX_CONCURRENT_REQUESTS: '2',
        LOG_LEVEL: 'info',
      });
      const random = prng(Date.now() % 100_000);
      let sync: ServiceProcess = startSyncProcess(env);
      const synced = async () => (await stepTotals(h.database.db))[0]?.synced ?? 0;
      for (const share of [0.15 + random() * 0.1, 0.4 + random() * 0.1, 0.65 + random() * 0.1]) {
        await waitFor(async () => (await synced()) >= share * 20_000, {
          what: `${Math.round(share * 100)} % synced`,
          timeoutMs: 120_000,
          intervalMs: 50,
        });
        const inFlight = h.sandbox.state.requests.length;
        expect(await sync.stop('SIGKILL')).toBe('SIGKILL');
        for (const step of await stepTotals(h.database.db)) expect(step.entered).toBe(step.accounted);
        expect(inFlight).toBeGreaterThan(0);
        sync = startSyncProcess(env);
      }
      await waitFor(async () => (await stepTotals(h.database.db))[0]?.pending === 0, {
        what: 'everyone delivered',
        timeoutMs: 180_000,
      });
      await waitForLog(sync, 'audience sync started');
      expect(await sync.stop('SIGTERM')).toBe(0);

      const statuses = await sql<{
        status: string;
        n: string;
      }>`SELECT status, count(*) AS n FROM audience_entries GROUP BY status`.execute(h.database.db);
      expect(statuses.rows.map((r) => [r.status, Number(r.n)])).toEqual([['synced', 20_000]]);
      expect(await stepTotals(h.database.db)).toEqual([
        expect.objectContaining({ entered: 20_000, synced: 20_000, pending: 0, errored: 0, accounted: 20_000 }),
      ]);
      // some users went twice (sent, then killed before recording it); Meta keeps one of each
      const uploaded = h.sandbox.state.requests
        .filter((r) => r.action === 'add' && r.status === 200)
        .reduce((n, r) => n + (r.rows ?? 0), 0);
      expect(uploaded).toBeGreaterThanOrEqual(20_000);
      const members = [...h.sandbox.state.audiences.get(canvas.audienceId)!.members.values()]
        .map((m) => m.EMAIL)
        .sort();
      const syncedRows = await h.database.db
        .selectFrom('audience_entries')
        .select('row_values')
        .where('status', '=', 'synced')
        .execute();
      expect(members).toEqual(syncedRows.map((r) => r.row_values[0]).sort());
    },
  );
});
