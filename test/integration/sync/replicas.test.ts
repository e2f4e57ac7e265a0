import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  startReadySync,
  startScaledSyncHarness,
  stepTotals,
  syntheticUsers,
  waitFor,
  type SyncHarness,
} from '@canvas/test-support';

const windowMs = 4000;
const quota = 60;

function maxInWindow(times: readonly number[]): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[j] ?? 0) <= times[i]! - windowMs) j += 1;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('two sync replicas', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startScaledSyncHarness(windowMs, quota);
  });
  afterAll(async () => h.close());

  it(
    'never both send for one account, keep each account within its quota, and take ' + 'over a dead owner within 30 s',
    async () => {
      const accounts = [await h.connectAccount(), await h.connectAccount(), await h.connectAccount()];
      for (const [i, account] of accounts.entries())
        await h.enter(await h.canvasWithAudience(account), account, syntheticUsers(`r${i}`, 4000));
      const env = (name: string) =>
        h.syncEnv({
          SYNC_REPLICA_NAME: name,
          META_QUOTA_PER_HOUR: String(quota),
          META_QUOTA_WINDOW: `${windowMs}ms`,
          SYNC_MAX_USERS_PER_REQUEST: '50',
        });
      const [one, two] = await Promise.all([startReadySync(env('one')), startReadySync(env('two'))]);
      await waitFor(
        () => accounts.every((a) => h.sandbox.state.requests.some((r) => r.accountId === a.metaAccountId)),
        {
          what: 'every account served',
        },
      );

      // kill whoever owns the first account, mid-backlog
      const first = accounts[0]!.metaAccountId;
      const owner = h.sandbox.state.requests.find((r) => r.accountId === first)!.userAgent!;
      const [victim, survivor] = owner.endsWith('/one') ? [one, two] : [two, one];
      await victim.stop('SIGKILL');
      const killedAt = Date.now();
      const survivorAgent = owner.endsWith('/one') ? 'canvas-audience-sync/two' : 'canvas-audience-sync/one';
      await waitFor(
        () =>
          h.sandbox.state.requests.some(
            (r) => r.accountId === first && r.at > killedAt && r.userAgent === survivorAgent,
          ),
        { what: 'the takeover', timeoutMs: 30_000 },
      );
      expect(Date.now() - killedAt).toBeLessThan(30_000);

      await waitFor(async () => (await stepTotals(h.database.db)).every((s) => s.pending === 0), {
        what: 'every backlog drained',
        timeoutMs: 180_000,
      });
      expect((await stepTotals(h.database.db)).map((s) => s.synced)).toEqual([4000, 4000, 4000]);
      for (const account of accounts) {
        const requests = h.sandbox.state.requests.filter(
          (r) => r.accountId === account.metaAccountId && r.action === 'add',
        );
        expect(requests.filter((r) => r.status !== 200)).toEqual([]);
        expect(maxInWindow(requests.map((r) => r.at))).toBeLessThanOrEqual(quota);
        // one sender at a time: each account's requests come from one replica; the victim's move once, to the survivor
        const switches = requests.slice(1).filter((r, i) => r.userAgent !== requests[i]!.userAgent).length;
        const victimOwned = requests[0]!.userAgent !== survivorAgent;
        expect(switches).toBeLessThanOrEqual(victimOwned ? 1 : 0);
        expect(requests.filter((r) => r.at > killedAt + 1000 && r.userAgent !== survivorAgent)).toEqual([]);
      }
      expect(await survivor.stop('SIGTERM')).toBe(0);
    },
  );
});
