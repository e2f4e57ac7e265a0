import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSyncHarness, stepTotals, syntheticUsers, waitFor, type SyncHarness } from '@canvas/test-support';

describe('audience sync batching', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
  });
  afterAll(async () => h.close());

  it(
    'syncs 30,000 users of 3 canvases on one ad account in few requests, with ' +
      'counters that add up at every sample',
    async () => {
      const account = await h.connectAccount();
      const canvases = [
        await h.canvasWithAudience(account, { name: 'a' }),
        await h.canvasWithAudience(account, { name: 'b' }),
        await h.canvasWithAudience(account, { name: 'c' }),
      ];
      const samples: Awaited<ReturnType<typeof stepTotals>>[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          samples.push(await stepTotals(h.database.db));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();

      // canvas a: 15,000 at once (a backlog); b: 10,000 in five waves; c: 5,000 trickling in, 20 with no usable key
      await h.enter(canvases[0]!, account, syntheticUsers('a', 15_000));
      h.startSync();
      for (let wave = 0; wave < 5; wave += 1) {
        await h.enter(canvases[1]!, account, syntheticUsers(`b${wave}`, 2000));
        for (let i = 0; i < 5; i += 1) {
          await h.enter(
            canvases[2]!,
            account,
            syntheticUsers(`c${wave}-${i}`, 200, { withoutKeys: wave === 0 && i === 0 ? 20 : 0 }),
          );
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
      }
      try {
        await waitFor(async () => (await stepTotals(h.database.db)).every((s) => s.pending === 0), {
          what: 'nothing pending',
          timeoutMs: 120_000,
        });
      } finally {
        sampling = false;
        await sampler;
      }

      const totals = await stepTotals(h.database.db);
      expect(totals.map((t) => [t.entered, t.synced, t.notSynced, t.errored, t.pending]).sort()).toEqual(
        [
          [10_000, 10_000, 0, 0, 0],
          [15_000, 15_000, 0, 0, 0],
          [5000, 4980, 20, 0, 0],
        ].sort(),
      );
      expect(samples.length).toBeGreaterThan(10);
      for (const sample of samples) for (const step of sample) expect(step.entered).toBe(step.accounted);

      const uploads = h.sandbox.state.requests.filter((r) => r.action === 'add');
      expect(uploads.every((r) => r.status === 200 && (r.rows ?? 0) <= 10_000 && r.numInvalid === 0)).toBe(true);
      expect(uploads.reduce((n, r) => n + (r.rows ?? 0), 0)).toBe(29_980);
      // a handful of requests, not one per user: the backlog goes in full batches, waves once per window
      const perAudience = new Map<string, number[]>();
      for (const r of uploads) perAudience.set(r.audienceId!, [...(perAudience.get(r.audienceId!) ?? []), r.at]);
      expect(perAudience.get(canvases[0]!.audienceId)).toHaveLength(2);
      expect(uploads.length).toBeLessThan(40);
      for (const times of perAudience.values()) {
        const partialGaps = times.slice(1).map((t, i) => t - times[i]!);
        // requests of one audience are at least a batch window (1 s here) apart, except back-to-back full batches
        expect(partialGaps.filter((gap) => gap < 900).length).toBeLessThanOrEqual(1);
      }
      for (const canvas of canvases) {
        const members = h.sandbox.state.audiences.get(canvas.audienceId)!.members.size;
        const synced = totals.find((t) => t.key.startsWith(canvas.canvasId))!.synced;
        expect(members).toBe(synced);
      }
    },
  );
});
