import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { canvasAccountProblems } from '@canvas/api';
import { readStoredDefinition } from '@canvas/canvas';
import { entriesForUser, findCanvasVersion, pendingStats } from '@canvas/db';
import {
  reconnectAccount,
  startSyncHarness,
  stepTotals,
  syntheticUsers,
  waitFor,
  type SyncHarness,
} from '@canvas/test-support';

/** A sync's clock: real time, moved forward on demand; `advance` answers the new time. */
function movableClock() {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  return {
    now,
    advance: (ms: number) => {
      offsetMs += ms;
      return now();
    },
  };
}

describe('audience sync under faults', () => {
  let h: SyncHarness;
  beforeEach(async () => {
    h = await startSyncHarness();
  });
  afterEach(async () => h.close());

  const settled = async () =>
    waitFor(async () => (await stepTotals(h.database.db)).every((s) => s.pending === 0), {
      what: 'nothing pending',
      timeoutMs: 120_000,
    });

  it('syncs everyone through 30 % transient failures and a throttle storm', async () => {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    h.sandbox.state.faults.add({ kind: 'http_status', status: 503, probability: 0.3 });
    h.sandbox.state.faults.add({ kind: 'error', code: 80003, subcode: 2446079, count: 8, regainMinutes: 0.01 });
    h.startSync({ SYNC_MAX_USERS_PER_REQUEST: '200' });
    for (let wave = 0; wave < 5; wave += 1) {
      await h.enter(canvas, account, syntheticUsers(`f${wave}`, 1000));
      // waves arrive 300 ms apart: a pace of arrivals, not a wait on the sync
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await settled();
    expect(await stepTotals(h.database.db)).toEqual([
      expect.objectContaining({ entered: 5000, synced: 5000, errored: 0, pending: 0 }),
    ]);
    expect(h.sandbox.state.audiences.get(canvas.audienceId)!.members.size).toBe(5000);
    const codes = h.sandbox.state.requests.filter((r) => r.status !== 200).map((r) => r.metaCode);
    expect(codes.filter((c) => c === 80003)).toHaveLength(8);
    expect(codes.filter((c) => c === 2).length).toBeGreaterThan(0);
    const answer = await entriesForUser(h.database.db, canvas.canvasId, 'fb', 'f0-0');
    expect(answer[0]).toMatchObject({ status: 'synced', lastError: null });
    expect(answer[0]!.sentAt).not.toBeNull();
  });

  it(
    'holds users pending while the token is revoked, marks the account disconnected, ' +
      'and resumes after reconnecting',
    async () => {
      const account = await h.connectAccount();
      const canvas = await h.canvasWithAudience(account);
      const clock = movableClock();
      h.startSync({}, { now: clock.now });
      await h.enter(canvas, account, syntheticUsers('t1', 500));
      await waitFor(async () => (await stepTotals(h.database.db))[0]?.synced === 500, { what: 'the first 500' });

      h.sandbox.state.tokens.get(account.token)!.status = 'revoked';
      await h.enter(canvas, account, syntheticUsers('t2', 700));
      await waitFor(
        async () =>
          (await h.database.db.selectFrom('ad_accounts').select('status').executeTakeFirstOrThrow()).status ===
          'disconnected',
        { what: 'the account to be disconnected' },
      );
      // a round a minute later, past every retry delay, still leaves them pending
      await h.roundAfter(account, clock.advance(60_000));
      expect(await stepTotals(h.database.db)).toEqual([
        expect.objectContaining({ entered: 1200, synced: 500, pending: 700, errored: 0 }),
      ]);
      const held = await entriesForUser(h.database.db, canvas.canvasId, 'fb', 't2-0');
      expect(held[0]).toMatchObject({ status: 'pending', lastError: { code: 'META_TOKEN_INVALID', metaCode: 190 } });
      const requestsWhileHeld = h.sandbox.state.requests.length;
      await h.roundAfter(account, clock.advance(60_000));
      expect(h.sandbox.state.requests.length).toBe(requestsWhileHeld);

      await reconnectAccount(h, account, clock.now());
      await settled();
      expect(await stepTotals(h.database.db)).toEqual([expect.objectContaining({ entered: 1200, synced: 1200 })]);
    },
  );

  const accountStatus = async () =>
    (await h.database.db.selectFrom('ad_accounts').select('status').executeTakeFirstOrThrow()).status;

  it(
    'pauses the retry window while the account is disconnected: users held past it ' + 'are synced after reconnecting',
    async () => {
      const account = await h.connectAccount();
      const canvas = await h.canvasWithAudience(account);
      const clock = movableClock();
      h.startSync({}, { now: clock.now });
      h.sandbox.state.tokens.get(account.token)!.status = 'revoked';
      // a 3-second retry window, and a hold of a minute on the sync's clock
      await h.enter(canvas, account, syntheticUsers('h', 300), { retryWindowMs: 3000 });
      await waitFor(async () => (await accountStatus()) === 'disconnected', { what: 'the account disconnected' });
      await h.roundAfter(account, clock.advance(60_000));
      expect(await stepTotals(h.database.db)).toEqual([
        expect.objectContaining({ entered: 300, synced: 0, pending: 300, errored: 0 }),
      ]);
      expect(await pendingStats(h.database.db, account.metaAccountId)).toMatchObject({ pending: 300, held: 300 });
      const heldEntry = (await entriesForUser(h.database.db, canvas.canvasId, 'fb', 'h-0'))[0]!;
      expect(heldEntry.deadlineAt.getTime()).toBeLessThan(clock.now().getTime());

      const reconnectedAt = clock.now();
      await reconnectAccount(h, account, reconnectedAt);
      // the window left when the hold began is what remains after it
      const resumed = (await entriesForUser(h.database.db, canvas.canvasId, 'fb', 'h-0'))[0]!;
      expect(resumed.deadlineAt.getTime()).toBeGreaterThan(reconnectedAt.getTime());
      await settled();
      expect(await stepTotals(h.database.db)).toEqual([
        expect.objectContaining({ entered: 300, synced: 300, pending: 0, errored: 0 }),
      ]);
      expect(h.sandbox.state.audiences.get(canvas.audienceId)!.members.size).toBe(300);
      expect(await h.database.db.selectFrom('ad_accounts').select('held_since').executeTakeFirstOrThrow()).toEqual({
        held_since: null,
      });
    },
  );

  it('disconnects an account whose token expires within one check interval, without any canvas activity', async () => {
    const account = await h.connectAccount();
    const expiresAt = Math.floor(h.sandbox.state.clock.now() / 1000) + 3;
    h.sandbox.state.tokens.get(account.token)!.expiresAt = expiresAt;
    h.startSync({ SYNC_TOKEN_CHECK_INTERVAL: '1s', SYNC_BATCH_WINDOW: '500ms' });
    const row = () =>
      h.database.db
        .selectFrom('ad_accounts')
        .select(['status', 'status_reason', 'token_expires_at', 'held_since'])
        .executeTakeFirstOrThrow();
    await waitFor(async () => (await row()).token_expires_at !== null, { what: 'the first check' });
    expect(await row()).toMatchObject({ status: 'connected', token_expires_at: new Date(expiresAt * 1000) });
    await waitFor(async () => (await row()).status === 'disconnected', { what: 'the account disconnected' });
    expect((await row()).status_reason).toContain('token');
    expect((await row()).held_since).not.toBeNull();
    const calls = h.sandbox.state.requests;
    expect(calls.filter((r) => r.path.includes('debug_token')).length).toBeGreaterThanOrEqual(2);
    expect(calls.filter((r) => r.action !== undefined)).toEqual([]);
  });

  it('errors users CREDENTIAL_NOT_RESTORED once they were held longer than the hold limit', async () => {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    h.startSync({ SYNC_CREDENTIAL_HOLD_LIMIT: '3s' });
    h.sandbox.state.tokens.get(account.token)!.status = 'revoked';
    await h.enter(canvas, account, syntheticUsers('n', 200));
    await waitFor(async () => (await accountStatus()) === 'disconnected', { what: 'the account disconnected' });
    expect((await stepTotals(h.database.db))[0]).toMatchObject({ pending: 200, errored: 0 });
    await waitFor(async () => (await stepTotals(h.database.db))[0]?.errored === 200, {
      what: 'the hold limit to pass',
      timeoutMs: 20_000,
    });
    expect((await entriesForUser(h.database.db, canvas.canvasId, 'fb', 'n-0'))[0]).toMatchObject({
      status: 'errored',
      lastError: { code: 'CREDENTIAL_NOT_RESTORED', lastCode: 'META_TOKEN_INVALID', metaCode: 190 },
    });
    expect((await stepTotals(h.database.db))[0]).toMatchObject({ entered: 200, synced: 0, pending: 0, errored: 200 });
  });

  it(
    'errors the rest with the last reason when the retry window ends, and errors a ' + 'deleted audience at once',
    async () => {
      const account = await h.connectAccount();
      const failing = await h.canvasWithAudience(account, { name: 'failing' });
      const deleted = await h.canvasWithAudience(account, { name: 'deleted' });
      h.sandbox.state.audiences.get(deleted.audienceId)!.deleted = true;
      h.sandbox.state.faults.add({ kind: 'http_status', status: 503, match: { pathContains: failing.audienceId } });
      await h.enter(failing, account, syntheticUsers('w', 300), { retryWindowMs: 6000 });
      await h.enter(deleted, account, syntheticUsers('d', 50));
      h.startSync();
      await waitFor(async () => (await stepTotals(h.database.db)).every((s) => s.pending === 0), {
        what: 'both steps settled',
        timeoutMs: 30_000,
      });
      const totals = await stepTotals(h.database.db);
      expect(totals.map((t) => [t.entered, t.errored, t.synced]).sort()).toEqual(
        [
          [300, 300, 0],
          [50, 50, 0],
        ].sort(),
      );
      const late = await entriesForUser(h.database.db, failing.canvasId, 'fb', 'w-0');
      expect(late[0]).toMatchObject({ status: 'errored', lastError: { code: 'RETRY_WINDOW_OVER', metaCode: 2 } });
      expect(late[0]!.attempts).toBeGreaterThan(1);
      const gone = await entriesForUser(h.database.db, deleted.canvasId, 'fb', 'd-0');
      expect(gone[0]).toMatchObject({
        status: 'errored',
        attempts: 1,
        lastError: { code: 'META_AUDIENCE_MISSING', metaCode: 100, metaSubcode: 33 },
      });
      // the canvas using the deleted audience says so, the other does not
      const problemsOf = async (canvasId: string) => {
        const version = await findCanvasVersion(h.database.db, canvasId, 1);
        const read = readStoredDefinition(version?.definition);
        if (!read.ok || !version) throw new Error('seeded canvas unreadable');
        return canvasAccountProblems(h.database.db, h.workspaceId, read.definition, [version.resolved], new Date());
      };
      expect(await problemsOf(deleted.canvasId)).toEqual([
        expect.objectContaining({ code: 'audience_deleted', audienceId: deleted.audienceId, steps: ['fb'] }),
      ]);
      expect(await problemsOf(failing.canvasId)).toEqual([]);
    },
  );

  it('holds a removal from a too-small audience, then errors it when the window ends', async () => {
    const account = await h.connectAccount();
    const removal = await h.canvasWithAudience(account, { action: 'remove' });
    await h.enter(removal, account, syntheticUsers('r', 20), { action: 'remove', retryWindowMs: 4000 });
    h.startSync({ SYNC_TOO_SMALL_RETRY_INTERVAL: '1h' });
    await waitFor(
      async () => (await entriesForUser(h.database.db, removal.canvasId, 'fb', 'r-0'))[0]?.lastError !== null,
      { what: 'the first attempt' },
    );
    const held = (await entriesForUser(h.database.db, removal.canvasId, 'fb', 'r-0'))[0]!;
    expect(held).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: { code: 'META_AUDIENCE_TOO_SMALL', metaCode: 200, metaSubcode: 1870047 },
    });
    expect(held.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    await waitFor(async () => (await stepTotals(h.database.db))[0]?.errored === 20, {
      what: 'the window to close',
      timeoutMs: 20_000,
    });
    expect((await entriesForUser(h.database.db, removal.canvasId, 'fb', 'r-0'))[0]).toMatchObject({
      status: 'errored',
      lastError: { code: 'RETRY_WINDOW_OVER', lastCode: 'META_AUDIENCE_TOO_SMALL' },
    });
    expect(h.sandbox.state.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});
