import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { entriesForUser } from '@canvas/db';
import { sha256Hex } from '@canvas/meta-graph';
import { startSyncHarness, stepTotals, syntheticUsers, waitFor, type SyncHarness } from '@canvas/test-support';

describe('rows Meta reports invalid in an accepted request', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => h.close());

  it('counts every invalid row on the step, and makes the users Meta names Not synced instead of Synced', async () => {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    const users = syntheticUsers('v', 500);
    // Meta refuses 120 rows but samples at most 100 of them
    const refused = users.slice(0, 120);
    for (const u of refused) h.sandbox.state.refusedValues.add(sha256Hex(String(u.traits.email)));
    await h.enter(canvas, account, users);
    h.startSync();
    await waitFor(async () => (await stepTotals(h.database.db))[0]?.pending === 0, { what: 'nothing pending' });

    const upload = h.sandbox.state.requests.filter((r) => r.action === 'add');
    expect(upload.map((r) => [r.rows, r.numInvalid])).toEqual([[500, 120]]);
    expect(await stepTotals(h.database.db)).toEqual([
      expect.objectContaining({
        entered: 500,
        synced: 400,
        notSynced: 100,
        pending: 0,
        errored: 0,
        accounted: 500,
        invalidEntries: 120,
      }),
    ]);
    expect(h.sandbox.state.audiences.get(canvas.audienceId)!.members.size).toBe(380);

    const answers = await Promise.all(
      refused.map(async (u) => (await entriesForUser(h.database.db, canvas.canvasId, 'fb', u.userId))[0]!),
    );
    const named = answers.filter((a) => a.status === 'not_synced');
    expect(named).toHaveLength(100);
    expect(named[0]).toMatchObject({ lastError: { code: 'META_INVALID_ENTRY', message: 'EMAIL was refused' } });
    expect(named[0]!.sentAt).not.toBeNull();
    expect(answers.filter((a) => a.status === 'synced')).toHaveLength(20);
    expect((await entriesForUser(h.database.db, canvas.canvasId, 'fb', 'v-300'))[0]).toMatchObject({
      status: 'synced',
      lastError: null,
    });
  });
});
