import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  lookalikesOf,
  requestLookalikes,
  updateLookalike,
  type LookalikeRecord,
  type LookalikeRequestRow,
} from '@canvas/db';
import {
  startSyncHarness,
  stepTotals,
  syntheticUsers,
  waitFor,
  type SyncAccount,
  type SyncHarness,
} from '@canvas/test-support';

/** The sync as the lookalike tests run it: a look at each lookalike every 300 ms. */
const lookalikeEnv = { SYNC_LOOKALIKE_INTERVAL: '300ms' };

describe('lookalike audiences, created once by the sync that owns the ad account', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    // lookalikes are ready at once instead of after Meta's hours of populating
    h = await startSyncHarness({ settings: { lookalikePopulateMs: 0 } });
  });
  afterAll(async () => h.close());

  const request = (account: SyncAccount, source: { canvasId: string; audienceId: string }, name: string) => {
    const row: LookalikeRequestRow = {
      metaAccountId: account.metaAccountId,
      sourceAudienceId: source.audienceId,
      countries: ['CA', 'US'],
      ratioPercent: 2,
      workspaceId: h.workspaceId,
      canvasId: source.canvasId,
      stepId: 'fb',
      name,
    };
    return row;
  };
  const rowOf = async (row: LookalikeRequestRow): Promise<LookalikeRecord | undefined> =>
    (await lookalikesOf(h.database.db, [row])).find((r) => r.countries.join() === row.countries.join());
  /** Successful and refused creations of lookalikes the sandbox was asked for, of one source. */
  const lookalikeCalls = (account: SyncAccount) =>
    h.sandbox.state.requests.filter(
      (r) => r.method === 'POST' && r.accountId === account.metaAccountId && r.subtype === 'LOOKALIKE',
    );
  const lookalikesAtMeta = (sourceId: string) =>
    [...h.sandbox.state.audiences.values()].filter((a) => a.lookalike?.originAudienceId === sourceId && !a.deleted);
  /** Members put straight into the sandbox's audience, as a source other tools filled. */
  const fill = (audienceId: string, count: number) => {
    const audience = h.sandbox.state.audiences.get(audienceId)!;
    for (let i = 0; i < count; i += 1) audience.members.set(1_000_000 + i, { EXTERN_ID: `seed-${audienceId}-${i}` });
  };

  it('waits while the source is below Meta’s minimum, then creates it once, across a restart of the sync', async () => {
    const account = await h.connectAccount();
    const source = await h.canvasWithAudience(account, { matchKeys: ['EMAIL'], name: 'Buyers' });
    const row = request(account, source, 'Lookalike (CA, US, 2%) - Buyers');
    expect(await requestLookalikes(h.database.db, [row], new Date())).toBe(1);
    // asked for again by another launch: still one
    expect(await requestLookalikes(h.database.db, [{ ...row, stepId: 'other' }], new Date())).toBe(0);

    await h.enter(source, account, syntheticUsers('small', 60), { matchKeys: ['EMAIL'] });
    const first = h.startSync(lookalikeEnv);
    await waitFor(async () => (await stepTotals(h.database.db)).every((s) => s.pending === 0), {
      what: 'the first users synced',
    });
    const waiting = (await waitFor(
      async () => {
        const r = await rowOf(row);
        return r?.sourceSize === 60 ? r : undefined;
      },
      { what: 'the source size read' },
    ))!;
    expect(waiting).toMatchObject({ status: 'waiting_for_source', lookalikeId: null });
    expect(waiting.message).toContain('at least 100');
    expect(lookalikeCalls(account)).toEqual([]);

    // the sync restarts while the source grows past the minimum
    await first.stop();
    await h.enter(source, account, syntheticUsers('more', 60), { matchKeys: ['EMAIL'] });
    h.startSync(lookalikeEnv);
    const created = (await waitFor(
      async () => {
        const r = await rowOf(row);
        return r?.status === 'created' && r.metaStatus?.operationStatus?.code === 200 ? r : undefined;
      },
      { what: 'the lookalike created and read' },
    ))!;
    expect(created.sourceSize).toBe(120);
    expect(created.metaStatus).toMatchObject({ deliveryStatus: { code: 200 }, approximateCount: 80_000 });
    // later looks read its status and create nothing more
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const atMeta = lookalikesAtMeta(source.audienceId);
    expect(atMeta.map((a) => [a.id, a.name, a.lookalike])).toEqual([
      [created.lookalikeId, row.name, { originAudienceId: source.audienceId, countries: ['CA', 'US'], ratio: 0.02 }],
    ]);
    expect(lookalikeCalls(account).map((r) => r.status)).toEqual([200]);
  });

  it('after a crash between claim and creation, adopts what Meta has by name, or creates it once', async () => {
    const account = await h.connectAccount();
    const madeBefore = await h.canvasWithAudience(account, { name: 'Made before the crash' });
    const notMade = await h.canvasWithAudience(account, { name: 'Not made before the crash' });
    fill(madeBefore.audienceId, 150);
    fill(notMade.audienceId, 150);
    const rows = [
      request(account, madeBefore, 'Lookalike (CA, US, 2%) - Made before the crash'),
      request(account, notMade, 'Lookalike (CA, US, 2%) - Not made before the crash'),
    ];
    await requestLookalikes(h.database.db, rows, new Date());
    // a sync claimed both, and died after Meta created the first one
    for (const row of rows)
      expect(
        await updateLookalike(
          h.database.db,
          row,
          ['waiting_for_source'],
          { status: 'creating', claim: true, nextCheckAt: new Date() },
          new Date(),
        ),
      ).toBe(true);
    const created = await fetch(`${h.sandbox.url}/v25.0/act_${account.metaAccountId}/customaudiences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.token}` },
      body: JSON.stringify({
        name: rows[0]!.name,
        subtype: 'LOOKALIKE',
        origin_audience_id: madeBefore.audienceId,
        lookalike_spec: { ratio: 0.02, location_spec: { geo_locations: { countries: ['US', 'CA'] } } },
      }),
    });
    const earlier = (await created.json()) as { id: string };

    h.startSync(lookalikeEnv);
    const [adopted, made] = (await waitFor(
      async () => {
        const found = await Promise.all(rows.map(rowOf));
        return found.every((r) => r?.status === 'created') ? found : undefined;
      },
      { what: 'both lookalikes recorded' },
    ))!;
    expect(adopted).toMatchObject({ lookalikeId: earlier.id, attempts: 1 });
    expect(lookalikesAtMeta(madeBefore.audienceId).map((a) => a.id)).toEqual([earlier.id]);
    expect(lookalikesAtMeta(notMade.audienceId).map((a) => a.id)).toEqual([made!.lookalikeId]);
    // one creation by the test, one by the sync
    expect(lookalikeCalls(account).map((r) => r.status)).toEqual([200, 200]);
  });

  it('adopts the lookalike Meta refuses to duplicate, made under another name in Ads Manager', async () => {
    const account = await h.connectAccount();
    const duplicated = await h.canvasWithAudience(account, { name: 'Duplicated in Ads Manager' });
    fill(duplicated.audienceId, 150);
    const manual = h.sandbox.state.newAudienceId();
    h.sandbox.state.audiences.set(manual, {
      ...h.sandbox.state.audiences.get(duplicated.audienceId)!,
      id: manual,
      name: 'My own lookalike',
      subtype: 'LOOKALIKE',
      members: new Map(),
      lookalike: { originAudienceId: duplicated.audienceId, countries: ['CA', 'US'], ratio: 0.02 },
    });
    const row = request(account, duplicated, 'Lookalike (CA, US, 2%) - Duplicated in Ads Manager');
    await requestLookalikes(h.database.db, [row], new Date());
    h.startSync(lookalikeEnv);
    const adopted = (await waitFor(
      async () => {
        const r = await rowOf(row);
        return r?.status === 'created' ? r : undefined;
      },
      { what: 'the duplicate adopted' },
    ))!;
    expect(adopted.lookalikeId).toBe(manual);
    expect(lookalikesAtMeta(duplicated.audienceId).map((a) => a.id)).toEqual([manual]);
    expect(lookalikeCalls(account).map((r) => [r.status, r.metaCode, r.metaSubcode])).toEqual([[400, 2654, 1713007]]);
  });

  it("shows Meta's refusal of a source it finds too small, and creates the lookalike once Meta takes it", async () => {
    const account = await h.connectAccount();
    const source = await h.canvasWithAudience(account, { name: 'Big enough here, not in Meta’s count' });
    fill(source.audienceId, 150);
    // Meta counts people per country: it may refuse a source whose total count is over 100
    h.sandbox.state.settings.minLookalikeSourceSize = 1000;
    const row = request(account, source, 'Lookalike (CA, US, 2%) - Big enough here');
    await requestLookalikes(h.database.db, [row], new Date());
    h.startSync(lookalikeEnv);
    const refused = (await waitFor(
      async () => {
        const r = await rowOf(row);
        return r?.status === 'refused' ? r : undefined;
      },
      { what: "Meta's refusal" },
    ))!;
    expect(refused.message).toContain('2654: (#2654) Source Audience is Too Small');
    h.sandbox.state.settings.minLookalikeSourceSize = 100;
    const created = (await waitFor(
      async () => {
        const r = await rowOf(row);
        return r?.status === 'created' ? r : undefined;
      },
      { what: 'the lookalike created on a later look' },
    ))!;
    expect(lookalikesAtMeta(source.audienceId).map((a) => a.id)).toEqual([created.lookalikeId]);
    expect(lookalikeCalls(account).filter((r) => r.status === 200)).toHaveLength(1);
  });
});
