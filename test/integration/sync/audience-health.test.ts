import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { canvasAccountProblems } from '@canvas/api';
import { readStoredDefinition } from '@canvas/canvas';
import { entriesForUser, findCanvasVersion } from '@canvas/db';
import { startSyncHarness, stepTotals, syntheticUsers, waitFor, type SyncHarness } from '@canvas/test-support';

describe('audience health as Meta reports it, shown on the canvas', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => h.close());

  const problemsOf = async (canvasId: string) => {
    const version = await findCanvasVersion(h.database.db, canvasId, 1);
    const read = readStoredDefinition(version?.definition);
    if (!read.ok || !version) throw new Error('seeded canvas unreadable');
    return canvasAccountProblems(h.database.db, h.workspaceId, read.definition, [version.resolved], new Date());
  };
  const setHealth = async (audienceId: string, body: { flagged?: boolean; sacEligible?: boolean }) => {
    const response = await fetch(`${h.sandbox.url}/_sandbox/audiences/${audienceId}/health`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };

  it(
    'errors users of a flagged audience as META_AUDIENCE_FLAGGED and shows ' + 'audience_flagged with what to do',
    async () => {
      const account = await h.connectAccount();
      const flagged = await h.canvasWithAudience(account, { name: 'flagged' });
      const ineligible = await h.canvasWithAudience(account, { name: 'not sac eligible' });
      await setHealth(flagged.audienceId, { flagged: true });
      await setHealth(ineligible.audienceId, { sacEligible: false });
      await h.enter(flagged, account, syntheticUsers('f', 3));
      await h.enter(ineligible, account, syntheticUsers('s', 3));
      h.startSync();
      await waitFor(async () => (await stepTotals(h.database.db)).every((s) => s.pending === 0), {
        what: 'nothing pending',
      });
      await waitFor(async () => (await problemsOf(ineligible.canvasId)).length > 0, { what: 'the health read' });

      expect((await entriesForUser(h.database.db, flagged.canvasId, 'fb', 'f-0'))[0]).toMatchObject({
        status: 'errored',
        lastError: { code: 'META_AUDIENCE_FLAGGED', metaCode: 100, metaSubcode: 1713230 },
      });
      expect(await problemsOf(flagged.canvasId)).toEqual([
        expect.objectContaining({
          code: 'audience_flagged',
          audienceId: flagged.audienceId,
          steps: ['fb'],
          hint: expect.stringContaining('Ads Manager'),
        }),
      ]);
      // the eligible-but-not-for-SAC audience still syncs; the canvas says where it cannot be used
      expect(h.sandbox.state.audiences.get(ineligible.audienceId)!.members.size).toBe(3);
      expect(await problemsOf(ineligible.canvasId)).toEqual([
        expect.objectContaining({ code: 'audience_not_sac_eligible', audienceId: ineligible.audienceId }),
      ]);
    },
  );

  it('retries "(#803) … do not exist: users" right after an audience is created, and the users sync', async () => {
    const account = await h.connectAccount();
    const fresh = await h.canvasWithAudience(account, { name: 'fresh' });
    const fault = await fetch(`${h.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'error',
        count: 1,
        code: 803,
        message: '(#803) Some of the aliases you requested do not exist: users',
        match: { pathContains: `${fresh.audienceId}/users` },
      }),
    });
    expect(fault.status).toBeLessThan(300);
    await h.enter(fresh, account, syntheticUsers('n', 2));
    h.startSync();
    await waitFor(async () => h.sandbox.state.audiences.get(fresh.audienceId)!.members.size === 2, {
      what: 'the retried upload',
    });
    const calls = h.sandbox.state.requests.filter((r) => r.path.endsWith(`${fresh.audienceId}/users`));
    expect(calls.map((r) => r.metaCode ?? r.status)).toEqual([803, 200]);
    // the sync records Meta's answer just after Meta has applied it
    await waitFor(
      async () => (await entriesForUser(h.database.db, fresh.canvasId, 'fb', 'n-0'))[0]?.status === 'synced',
      { what: 'the entry recorded as synced' },
    );
  });
});
