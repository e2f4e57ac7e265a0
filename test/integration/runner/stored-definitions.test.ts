import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { findJourney, type Db } from '@canvas/db';
import {
  createRunnerTestBed,
  readMetric,
  seedLaunchedCanvas,
  startRunnerProcess,
  waitFor,
  waitForLog,
  type RunnerTestBed,
} from '@canvas/test-support';

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
    bed = await createRunnerTestBed(2);
    const { database, workspaceId } = bed;
    const audience = { adAccountId: randomUUID(), metaAccountId: '4242', audienceId: '238000042' };
    await seedLaunchedCanvas(database.db, { id: oldId, workspaceId, definition: oldFormat as never, audience });
    await storeRaw(database.db, oldId, oldFormat);
    await seedLaunchedCanvas(database.db, {
      id: brokenId,
      workspaceId,
      definition: {
        name: 'soon broken',
        entry: { trigger: { event: 'added_to_cart' } },
        firstStep: 'end',
        steps: [{ id: 'end', kind: 'exit' }],
      },
    });
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
    const runner = startRunnerProcess(bed.env());
    await waitForLog(runner, 'journey runner started');
    const opsUrl = await runner.opsUrl();
    expect(await readMetric(opsUrl, 'canvas_runner_unreadable_definitions_total')).toBe(1);
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
    expect(await readMetric(opsUrl, 'canvas_runner_events_total', { outcome: 'applied' })).toBe(2);
    expect(await readMetric(opsUrl, 'canvas_runner_unreadable_definitions_total')).toBe(1);
    expect(await runner.stop('SIGTERM')).toBe(0);
  });
});
