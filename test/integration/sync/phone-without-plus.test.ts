import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, stepTotals, waitFor, type SyncHarness } from '@canvas/test-support';

// Meta's example: 1(650)555-1212 normalises to 16505551212, whose SHA-256 is this
const metaHash = 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176';

describe('phone numbers stored with their country code but without "+"', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => h.close());

  it("syncs 16505551212 with Meta's hash, and still leaves a number without a country unsynced", async () => {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account, { matchKeys: ['PHONE'] });
    await h.enter(
      canvas,
      account,
      [
        { userId: 'crm', traits: { phone: '16505551212' } },
        { userId: 'national', traits: { phone: '0612345678' } },
      ],
      { matchKeys: ['PHONE'] },
    );
    h.startSync();
    await waitFor(async () => (await stepTotals(h.database.db))[0]?.pending === 0, { what: 'nothing pending' });

    const members = [...h.sandbox.state.audiences.get(canvas.audienceId)!.members.values()];
    expect(members).toEqual([{ PHONE: metaHash }]);
    expect(await stepTotals(h.database.db)).toEqual([expect.objectContaining({ synced: 1, notSynced: 1 })]);
  });
});
