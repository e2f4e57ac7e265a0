import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { findJourney, type Db } from '@canvas/db';
import { createSeededRunnerBed, exitCanvas, startReadyRunner, waitFor, type RunnerTestBed } from '@canvas/test-support';

const oldFormat = JSON.parse(
  readFileSync(new URL('../../fixtures/stored-canvases/v0.1-abandoned-cart.json', import.meta.url), 'utf8'),
) as {
  name: string;
};

/** Puts a stored document in place of a launched version's definition, as an older release (or damage) left it. */
async function storeRaw(db: Db, canvasId: string, document: unknown): Promise<void> {
  await sql`
    UPDATE canvas_versions SET definition = ${JSON.stringify(document)}::jsonb
    WHERE canvas_id = ${canvasId}`.execute(db);
}

describe('stored canvas definitions', () => {
  let bed: RunnerTestBed;
  const oldId = randomUUID();
  const brokenId = randomUUID();

  beforeAll(async () => {
    const audience = { adAccountId: randomUUID(), metaAccountId: '4242', audienceId: '238000042' };
    bed = await createSeededRunnerBed(2, [
      { id: oldId, definition: oldFormat as never, audience },
      { id: brokenId, definition: exitCanvas('soon broken', 'added_to_cart') },
    ]);
    const { database } = bed;
    await storeRaw(database.db, oldId, oldFormat);
    await storeRaw(database.db, brokenId, {
      name: 'broken',
      entry: { trigger: 'added_to_cart' },
      steps: 'none',
      schemaVersion: 1,
    });
  });

  afterAll(async () => bed.close());

  it('runs a canvas stored in the 0.1 format, and leaves out an unreadable one without stalling', async () => {
    const { database, workspaceId } = bed;
    const runner = await startReadyRunner(bed.env());
    expect(await runner.metric('canvas_runner_unreadable_definitions_total')).toBe(1);
    expect(runner.output()).toContain(`"canvasId":"${brokenId}"`);

    await bed.produce([
      {
        key: 'u1',
        value: JSON.stringify({ type: 'identify', messageId: 'i1', userId: 'u1', traits: { email: 'u1@example.com' } }),
      },
      {
        key: 'u1',
        value: JSON.stringify({
          type: 'track',
          messageId: 't1',
          userId: 'u1',
          event: 'added_to_cart',
          properties: { total: 25 },
        }),
      },
    ]);
    // the old-format canvas moves the user through its one-second delay to the Facebook step
    await waitFor(async () => (await findJourney(database.db, workspaceId, 'u1', oldId))?.status === 'completed', {
      what: 'the old-format journey',
    });
    expect(await findJourney(database.db, workspaceId, 'u1', brokenId)).toBeUndefined();
    expect(await runner.metric('canvas_runner_events_total', { outcome: 'applied' })).toBe(2);
    expect(await runner.metric('canvas_runner_unreadable_definitions_total')).toBe(1);
    expect(await runner.stop('SIGTERM')).toBe(0);
  });
});
