import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { addCounters, driftOfCanvas } from '@canvas/db';
import type { Registry } from '@canvas/runtime';
import { startSyncHarness, stepTotals, syntheticUsers, waitFor, type SyncHarness } from '@canvas/test-support';

/** The value of one series of a metric in a registry, or undefined when the series does not exist. */
async function seriesValue(registry: Registry, name: string, labels: Record<string, string>) {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value;
}

describe('the reconciliation watch', () => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startSyncHarness();
  });
  afterEach(async () => h.close());

  const allSynced = (n: number) =>
    waitFor(async () => (await stepTotals(h.database.db))[0]?.synced === n, { what: `${n} synced`, timeoutMs: 30_000 });

  it('finds a broken counter within one watch interval, shows it while it lasts, forgets it once mended', async () => {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    const sync = h.startSync({ SYNC_WATCH_INTERVAL: '1s' });
    const registry = sync.registry;
    await h.enter(canvas, account, syntheticUsers('w', 40));
    await allSynced(40);
    await waitFor(
      async () => (await seriesValue(registry, 'canvas_reconciliation_checks_total', { outcome: 'ok' }))! >= 2,
      {
        what: 'two watch rounds',
      },
    );
    expect(await driftOfCanvas(h.database.db, canvas.canvasId)).toEqual([]);
    const labels = { canvas_id: canvas.canvasId, step_id: 'fb', kind: 'counters' };
    expect(await seriesValue(registry, 'canvas_step_drift_users', labels)).toBeUndefined();

    // a writer that counts 3 users Synced without moving them from Pending
    const brokenAt = Date.now();
    await addCounters(
      h.database.db,
      [{ workspaceId: h.workspaceId, canvasId: canvas.canvasId, version: 1, stepId: 'fb', metric: 'synced', delta: 3 }],
      new Date(),
      999_999,
    );
    await waitFor(async () => (await seriesValue(registry, 'canvas_step_drift_users', labels)) === 3, {
      what: 'the drift metric',
      intervalMs: 20,
    });
    expect(Date.now() - brokenAt).toBeLessThan(1000 + 500);
    expect(await driftOfCanvas(h.database.db, canvas.canvasId)).toEqual([
      expect.objectContaining({
        stepId: 'fb',
        kind: 'counters',
        expected: 40,
        actual: 43,
        gap: 3,
        metaAccountId: account.metaAccountId,
        detail: expect.objectContaining({ versions: [{ version: 1, expected: 40, actual: 43 }] }),
      }),
    ]);
    expect(await seriesValue(registry, 'canvas_reconciliation_drifting_steps', { kind: 'counters' })).toBe(1);
    const since = (await driftOfCanvas(h.database.db, canvas.canvasId))[0]!.since;
    await waitFor(async () => (await driftOfCanvas(h.database.db, canvas.canvasId))[0]!.checkedAt > since, {
      what: 'the next round',
    });
    // still the same drift, found at the same time
    expect((await driftOfCanvas(h.database.db, canvas.canvasId))[0]!.since).toEqual(since);

    await addCounters(
      h.database.db,
      [
        {
          workspaceId: h.workspaceId,
          canvasId: canvas.canvasId,
          version: 1,
          stepId: 'fb',
          metric: 'synced',
          delta: -3,
        },
      ],
      new Date(),
      999_999,
    );
    await waitFor(async () => (await seriesValue(registry, 'canvas_step_drift_users', labels)) === undefined, {
      what: 'the drift series to go',
    });
    expect(await driftOfCanvas(h.database.db, canvas.canvasId)).toEqual([]);
  });

  it('checks removals against their statuses apart from adds', async () => {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    await addCounters(
      h.database.db,
      [
        {
          workspaceId: h.workspaceId,
          canvasId: canvas.canvasId,
          version: 1,
          stepId: 'fb',
          metric: 'removed',
          delta: 5,
        },
        {
          workspaceId: h.workspaceId,
          canvasId: canvas.canvasId,
          version: 1,
          stepId: 'fb',
          metric: 'removed_synced',
          delta: 4,
        },
      ],
      new Date(),
      999_999,
    );
    const sync = h.startSync({ SYNC_WATCH_INTERVAL: '500ms' });
    await waitFor(
      async () =>
        (await seriesValue(sync.registry, 'canvas_step_drift_users', {
          canvas_id: canvas.canvasId,
          kind: 'removals',
        })) === 1,
      { what: 'the removals drift' },
    );
    expect(await driftOfCanvas(h.database.db, canvas.canvasId)).toEqual([
      expect.objectContaining({ kind: 'removals', expected: 5, actual: 4, gap: 1 }),
    ]);
  });

  it(
    "compares Meta's approximate audience size with synced minus removed: more members than were " +
      'ever sent, then far fewer than matching allows',
    async () => {
      const account = await h.connectAccount();
      const canvas = await h.canvasWithAudience(account);
      // the launch created the audience: nothing else was in it
      await sql`UPDATE canvas_versions SET resolved = jsonb_set(resolved, '{fb,created}', 'true')
        WHERE canvas_id = ${canvas.canvasId}`.execute(h.database.db);
      const sync = h.startSync({
        SYNC_WATCH_INTERVAL: '300ms',
        SYNC_WATCH_AUDIENCE_INTERVAL: '300ms',
        SYNC_WATCH_MIN_MATCH_RATE: '0.5',
      });
      await h.enter(canvas, account, syntheticUsers('m', 30));
      await allSynced(30);
      const sizeDrift = async () =>
        (await driftOfCanvas(h.database.db, canvas.canvasId)).find((d) => d.kind === 'audience_size');
      const audience = h.sandbox.state.audiences.get(canvas.audienceId)!;
      await waitFor(
        async () => {
          const [check] = await h.database.db.selectFrom('audience_size_checks').selectAll().execute();
          return check && Number(check.least) === 30 && Number(check.previous_least) === 30;
        },
        { what: 'two reads after the sync' },
      );
      expect(await sizeDrift()).toBeUndefined();

      // someone else adds 12 people to the audience
      for (let i = 0; i < 12; i += 1) audience.members.set(1_000_000 + i, { EMAIL: `other-${i}` });
      await waitFor(sizeDrift, { what: 'the audience to be found too large' });
      expect(await sizeDrift()).toMatchObject({
        stepId: 'fb',
        gap: 12,
        expected: 30,
        actual: 42,
        detail: expect.objectContaining({ direction: 'over', audienceId: canvas.audienceId }),
      });
      expect(
        await seriesValue(sync.registry, 'canvas_step_drift_users', {
          canvas_id: canvas.canvasId,
          kind: 'audience_size',
        }),
      ).toBe(12);

      // Meta loses all but 5 of them: under half of the 30 synced in
      for (const id of [...audience.members.keys()].slice(5)) audience.members.delete(id);
      await waitFor(async () => (await sizeDrift())?.detail.direction === 'under', {
        what: 'the audience to be found too small',
      });
      expect(await sizeDrift()).toMatchObject({ gap: 10, expected: 15, actual: 5 });
    },
  );

  it("reads each audience's size at most once per audience interval, through the account's limiter", async () => {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    const sync = h.startSync({ SYNC_WATCH_INTERVAL: '200ms', SYNC_WATCH_AUDIENCE_INTERVAL: '1h' });
    await h.enter(canvas, account, syntheticUsers('r', 10));
    await allSynced(10);
    await waitFor(
      async () => (await seriesValue(sync.registry, 'canvas_reconciliation_checks_total', { outcome: 'ok' }))! >= 8,
      {
        what: 'eight rounds',
      },
    );
    expect(await seriesValue(sync.registry, 'canvas_reconciliation_audience_reads_total', { outcome: 'ok' })).toBe(1);
    expect(await h.database.db.selectFrom('reconciliation_checks').selectAll().execute()).toEqual([
      expect.objectContaining({ meta_account_id: account.metaAccountId, steps: 1 }),
    ]);
  });
});
