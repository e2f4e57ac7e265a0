import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import {
  awaitDryRun,
  comparableNumbers,
  dryRunShoppers,
  shopperMessages,
  twoBranchCanvas,
  useEndToEnd,
  waitFor,
  type DryRunAnswer,
} from '@canvas/test-support';

/** The bench's target for a dry run (over a million users and ten million events). */
const benchTargetSeconds = 60;

interface Analytics {
  totals: Record<string, number>;
  steps: {
    stepId: string;
    entered: number;
    proceeded: number;
    exited: number;
    converted: number;
    facebook: { synced: number; notSynced: number; pending: number; errored: number } | null;
  }[];
}

describe('a dry run and a real launch fed the same events', () => {
  const e2e = useEndToEnd('e2e-dry-run');

  it('give the same numbers: 100,000 history events of 10,000 users through a two-branch canvas', async () => {
    const { producer, topic, database } = e2e;
    const designer = e2e.designer('Dry run shop');
    expect(await designer.connectAccount()).toBe(201);
    const created = await designer.call<{ id: string }>('POST', '/v1/canvases', twoBranchCanvas());
    expect(created.status).toBe(201);
    const canvasId = created.body.id;
    expect((await designer.call('POST', `/v1/canvases/${canvasId}/launch`)).status).toBe(200);

    // ten track events a user, stamped over the last ten minutes in the order they are sent
    const from = new Date(Date.now() - 10 * 60_000);
    const users = dryRunShoppers(10_000, 10, from, 5);
    const messages = shopperMessages(users, designer.workspaceId, 110_000);
    for (let i = 0; i < messages.length; i += 5000)
      await producer.send({ topic, messages: messages.slice(i, i + 5000) });

    // the real launch: every event applied and remembered, every Facebook user settled with Meta
    await waitFor(
      async () => {
        const row = await sql<{ n: string }>`
          SELECT count(*) AS n FROM user_events WHERE workspace_id = ${designer.workspaceId}`.execute(database.db);
        return Number(row.rows[0]!.n) === 100_000;
      },
      { what: '100,000 events applied and kept in the history', timeoutMs: 240_000, intervalMs: 500 },
    );
    const analytics = await waitFor(
      async () => {
        const { body } = await designer.call<Analytics>('GET', `/v1/canvases/${canvasId}/analytics`);
        const settled = body.steps
          .filter((s) => s.facebook)
          .every((s) => s.facebook!.pending === 0 && s.entered === s.facebook!.synced + s.facebook!.notSynced);
        return settled ? body : undefined;
      },
      { what: 'the sync to settle every Facebook step', timeoutMs: 240_000, intervalMs: 500 },
    );

    // the dry run of the launched version over the same window
    const asked = await designer.call<{ id: string }>('POST', `/v1/canvases/${canvasId}/dry-run`, {
      version: 1,
      window: { from: new Date(from.getTime() - 1000).toISOString(), to: new Date().toISOString() },
    });
    expect(asked.status).toBe(202);
    const run = await awaitDryRun(
      async (path) => (await designer.call<DryRunAnswer>('GET', path)).body,
      asked.body.id,
      benchTargetSeconds * 1000,
    );
    expect([run.status, run.failure]).toEqual(['done', null]);
    const seconds = (Date.parse(run.finishedAt!) - Date.parse(run.createdAt)) / 1000;
    expect(seconds).toBeLessThan(benchTargetSeconds);

    const projected = comparableNumbers({ dryRun: run });
    const measured = comparableNumbers({ analytics: analytics! });
    expect(projected).toEqual(measured);
    // and the canvas was exercised every way
    expect(measured['total.control']).toBeGreaterThan(0);
    expect(measured['total.converted']).toBeGreaterThan(0);
    expect(measured['wait_us.exited']).toBeGreaterThan(0);
    expect(measured['fb_rest.notSynced']).toBeGreaterThan(0);
    expect(measured['ab->end']).toBeGreaterThan(0);
    expect(run.result!.steps.find((s) => s.stepId === 'fb_us')!.facebook!.notSynced.consent).toBeGreaterThan(0);
    expect(run.result!.events).toBe(
      users.flatMap((u) => u.events).filter((e) => e.event === 'added_to_cart' || e.event === 'purchased').length,
    );
  });
});
