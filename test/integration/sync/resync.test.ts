import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import {
  addToSandbox,
  followingCanvas,
  readResync,
  requestStepResync,
  resyncReaches,
  rowOf,
  sandboxEmails,
  seedFollowing,
  startReadySync,
  startSyncHarness,
  stepTotals,
  syntheticUsers,
  waitFor,
  type SyncAccount,
  type SyncHarness,
} from '@canvas/test-support';

describe('resync of an audience that follows its segment, over HTTP against the sandbox', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => h.close());

  const emailsOf = (users: readonly { userId: string; traits: Record<string, unknown> }[]) =>
    users.map((u) => rowOf(u)[0]!).sort();
  const replaceBatches = (audienceId: string) =>
    h.sandbox.state.requests.filter((r) => r.audienceId === audienceId && r.action === 'replace');
  const usersWrites = (audienceId: string) =>
    h.sandbox.state.requests.filter((r) => r.audienceId === audienceId && r.path.endsWith('/users'));
  const entryStatuses = async (canvasId: string) => {
    const rows = await sql<{ action: string; status: string; n: string }>`
      SELECT action, status, count(*) AS n FROM audience_entries WHERE canvas_id = ${canvasId}
      GROUP BY action, status ORDER BY action, status`.execute(h.database.db);
    return rows.rows.map((r) => `${r.action} ${r.status} ${r.n}`);
  };

  /**
   * 25,000 members: 20,000 synced, 4,000 whose add is pending, 1,000 whose add errored in an outage;
   * 300 synced users who have since left (removal pending); 500 people someone added in Ads Manager.
   */
  async function driftedAudience(account: SyncAccount, name: string) {
    const canvas = await followingCanvas(h, account, name);
    const users = syntheticUsers(name, 25_300);
    const [synced, pending, errored, left] = [
      users.slice(0, 20_000),
      users.slice(20_000, 24_000),
      users.slice(24_000, 25_000),
      users.slice(25_000),
    ];
    await seedFollowing(h, account, canvas, [
      { users: synced, status: 'synced' },
      { users: pending, status: 'pending' },
      { users: errored, status: 'errored' },
      { users: left, status: 'synced', left: true },
    ]);
    await addToSandbox(h, account, canvas.audienceId, syntheticUsers(`${name}-outside`, 500));
    expect(sandboxEmails(h, canvas.audienceId)).toHaveLength(20_000 + 300 + 500);
    return { canvas, members: emailsOf(users.slice(0, 25_000)) };
  }

  it(
    'replaces a 25,000-member audience exactly, in 3 batches of one session, holding its other writes, ' +
      'and counts the adds and removals against what had been synced',
    async () => {
      const account = await h.connectAccount();
      const { canvas, members } = await driftedAudience(account, 'whole');
      const requested = await requestStepResync(h, account, canvas);
      const sync = await startReadySync(h.syncEnv({ SYNC_RESYNC_POLL_INTERVAL: '200ms' }));
      const done = await resyncReaches(h, account, requested.id, ['done', 'failed', 'unconfirmed']);
      expect(await sync.stop('SIGTERM')).toBe(0);

      expect(done).toMatchObject({
        status: 'done',
        members: 25_000,
        batches: 3,
        batchesSent: 3,
        sessionsStarted: 1,
        added: 5_000,
        removed: 300,
        invalidEntries: 0,
        stage: 'finished',
        lastError: null,
      });
      expect(sandboxEmails(h, canvas.audienceId)).toEqual(members);
      const batches = replaceBatches(canvas.audienceId);
      expect(batches.map((b) => [b.batchSeq, b.rows, b.status, b.sessionId])).toEqual([
        [1, 10_000, 200, done.sessionId],
        [2, 10_000, 200, done.sessionId],
        [3, 5_000, 200, done.sessionId],
      ]);
      // the pending adds went with the replace, not one by one; the removals were done by it
      expect(usersWrites(canvas.audienceId).filter((r) => r.at > batches[0]!.at)).toEqual([]);
      expect(await entryStatuses(canvas.canvasId)).toEqual(['add synced 25300', 'remove synced 300']);
      expect(await stepTotals(h.database.db)).toContainEqual(
        expect.objectContaining({ entered: 25_300, synced: 25_300, pending: 0, errored: 0, accounted: 25_300 }),
      );
      // a second resync finds nothing to add or remove
      const again = await requestStepResync(h, account, canvas);
      const second = await startReadySync(h.syncEnv({ SYNC_RESYNC_POLL_INTERVAL: '200ms' }));
      expect(await resyncReaches(h, account, again.id, ['done', 'failed'])).toMatchObject({
        status: 'done',
        added: 0,
        removed: 0,
      });
      expect(await second.stop('SIGTERM')).toBe(0);
      expect(sandboxEmails(h, canvas.audienceId)).toEqual(members);
    },
  );

  it('resumes the same session after the sync is killed mid-session, and replaces the audience exactly', async () => {
    const account = await h.connectAccount();
    const { canvas, members } = await driftedAudience(account, 'killed');
    // slow answers, so the kill lands after batch 1 is acknowledged and while batch 2 is under way
    h.sandbox.state.faults.add({ kind: 'latency', latencyMs: 1500, match: { pathContains: 'usersreplace' } });
    const requested = await requestStepResync(h, account, canvas);
    const env = h.syncEnv({ SYNC_RESYNC_POLL_INTERVAL: '200ms' });
    const first = await startReadySync(env);
    await waitFor(async () => (await readResync(h, account, requested.id)).batchesSent === 1, {
      what: 'batch 1 acknowledged',
      intervalMs: 20,
    });
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const killedAt = await readResync(h, account, requested.id);
    expect(killedAt).toMatchObject({ status: 'uploading', batchesSent: 1 });
    h.sandbox.state.faults.clear();

    const second = await startReadySync(env);
    const done = await resyncReaches(h, account, requested.id, ['done', 'failed', 'unconfirmed']);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(done).toMatchObject({ status: 'done', sessionsStarted: 1, sessionId: killedAt.sessionId, batchesSent: 3 });
    expect(sandboxEmails(h, canvas.audienceId)).toEqual(members);
    // every batch went to the one session; batch 2 may have gone twice (Meta allows repeats but of batch 1)
    const batches = replaceBatches(canvas.audienceId);
    expect(new Set(batches.map((b) => b.sessionId))).toEqual(new Set([killedAt.sessionId]));
    expect([...new Set(batches.map((b) => b.batchSeq))]).toEqual([1, 2, 3]);
    expect(batches.filter((b) => b.batchSeq === 1)).toHaveLength(1);
    expect(await entryStatuses(canvas.canvasId)).toEqual(['add synced 25300', 'remove synced 300']);
  });

  it('starts a new session when the killed one outlived its 90 minutes, never leaving it half replaced', async () => {
    const account = await h.connectAccount();
    const { canvas, members } = await driftedAudience(account, 'expired');
    h.sandbox.state.faults.add({ kind: 'latency', latencyMs: 1500, match: { pathContains: 'usersreplace' } });
    const requested = await requestStepResync(h, account, canvas);
    const env = h.syncEnv({ SYNC_RESYNC_POLL_INTERVAL: '200ms' });
    const first = await startReadySync(env);
    await waitFor(async () => (await readResync(h, account, requested.id)).batchesSent === 1, {
      what: 'batch 1 acknowledged',
      intervalMs: 20,
    });
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    h.sandbox.state.faults.clear();
    // the sync stays down past Meta's window: the session closes with what it had (at most two batches)
    h.sandbox.state.clock.advance(91 * 60_000);
    expect(sandboxEmails(h, canvas.audienceId).length).toBeLessThan(members.length);

    const second = await startReadySync(env);
    const done = await resyncReaches(h, account, requested.id, ['done', 'failed', 'unconfirmed']);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(done).toMatchObject({ status: 'done', sessionsStarted: 2, batchesSent: 3 });
    expect(sandboxEmails(h, canvas.audienceId)).toEqual(members);
    const refused = replaceBatches(canvas.audienceId).filter((b) => b.metaSubcode === 1870158);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const lastSession = replaceBatches(canvas.audienceId).filter((b) => b.sessionId === done.sessionId);
    expect(lastSession.map((b) => [b.batchSeq, b.status])).toEqual([
      [1, 200],
      [2, 200],
      [3, 200],
    ]);
  });

  it('calls a session left "uploading" unconfirmed, never done, and lets the held writes go', async () => {
    const account = await h.connectAccount();
    const canvas = await followingCanvas(h, account, 'stuck');
    const users = syntheticUsers('stuck', 2_000);
    await seedFollowing(h, account, canvas, [
      { users: users.slice(0, 1_500), status: 'synced' },
      { users: users.slice(1_500), status: 'pending' },
    ]);
    const stale = sandboxEmails(h, canvas.audienceId);
    await fetch(`${h.sandbox.url}/_sandbox/audiences/${canvas.audienceId}/replace-fault`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stuckSessions: 1 }),
    });
    const requested = await requestStepResync(h, account, canvas);
    const sync = await startReadySync(
      h.syncEnv({ SYNC_RESYNC_POLL_INTERVAL: '200ms', SYNC_RESYNC_CONFIRM_TIMEOUT: '3s' }),
    );
    const ended = await resyncReaches(h, account, requested.id, ['done', 'failed', 'unconfirmed']);
    expect(ended).toMatchObject({
      status: 'unconfirmed',
      stage: 'uploading',
      batchesSent: 1,
      lastError: expect.objectContaining({ code: 'RESYNC_UNCONFIRMED' }),
    });
    expect(sandboxEmails(h, canvas.audienceId)).toEqual(stale);
    // the held adds are not taken for delivered: the usual path sends them once the resync has ended
    await waitFor(async () => (await stepTotals(h.database.db)).every((s) => s.pending === 0), {
      what: 'the held adds sent',
      timeoutMs: 60_000,
    });
    expect(await sync.stop('SIGTERM')).toBe(0);
    expect(usersWrites(canvas.audienceId).some((r) => r.action === 'add' && r.status === 200)).toBe(true);
    expect(sandboxEmails(h, canvas.audienceId)).toEqual(emailsOf(users));
  });
});
