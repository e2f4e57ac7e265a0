import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sha256Hex } from '@canvas/meta-graph';
import { startSyncHarness, stepTotals, waitFor, type SyncHarness } from '@canvas/test-support';

describe('Limited Data Use on customer-list uploads', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => h.close());

  it(
    'sends a California user with LDU consent with ["LDU"], country 1 and state ' + '1000, and others without',
    async () => {
      const account = await h.connectAccount();
      const canvas = await h.canvasWithAudience(account, { matchKeys: ['EMAIL'] });
      await h.enter(
        canvas,
        account,
        [
          { userId: 'ca', traits: { email: 'ca@example.com', state: 'CA', country: 'US', limited_data_use: true } },
          { userId: 'plain', traits: { email: 'plain@example.com', state: 'CA', country: 'US' } },
        ],
        { matchKeys: ['EMAIL'] },
      );
      h.startSync();
      await waitFor(async () => (await stepTotals(h.database.db))[0]?.pending === 0, { what: 'nothing pending' });

      const adds = h.sandbox.state.requests.filter((r) => r.action === 'add');
      expect(adds.map((r) => [r.schema, r.rows, r.status]).sort()).toEqual(
        [
          [['EMAIL'], 1, 200],
          [
            ['EMAIL', 'DATA_PROCESSING_OPTIONS', 'DATA_PROCESSING_OPTIONS_COUNTRY', 'DATA_PROCESSING_OPTIONS_STATE'],
            1,
            200,
          ],
        ].sort(),
      );
      const members = [...h.sandbox.state.audiences.get(canvas.audienceId)!.members.values()];
      expect(members).toContainEqual({
        EMAIL: sha256Hex('ca@example.com'),
        DATA_PROCESSING_OPTIONS: 'LDU',
        DATA_PROCESSING_OPTIONS_COUNTRY: '1',
        DATA_PROCESSING_OPTIONS_STATE: '1000',
      });
      expect(members).toContainEqual({ EMAIL: sha256Hex('plain@example.com') });
      expect(await stepTotals(h.database.db)).toEqual([expect.objectContaining({ synced: 2 })]);
    },
  );
});
