import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { advanceErasures, findErasure, insertAudienceEntries, startErasure, type NewAudienceEntry } from '@canvas/db';
import { createTestDatabase, seedWorkspace, type TestDatabase } from '@canvas/test-support';

describe('an erasure waits for the removal of the add it undoes', () => {
  let database: TestDatabase;
  const workspaceId = randomUUID();
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedWorkspace(database.db, workspaceId);
  });
  afterAll(async () => database.drop());

  it(
    'is not completed by an older removal of the same audience (the user left, came ' +
      'back, then asked to be erased)',
    async () => {
      const db = database.db;
      const canvasId = randomUUID();
      const handoff = (action: 'add' | 'remove', entrySeq: number): NewAudienceEntry => ({
        metaAccountId: '555',
        adAccountId: randomUUID(),
        workspaceId,
        audienceId: '238000000000555',
        action,
        canvasId,
        version: 1,
        stepId: 'fb',
        userId: 'returning-user',
        entrySeq,
        schema: ['EMAIL'],
        values: ['a'.repeat(64)],
        status: 'pending',
        enteredAt: new Date(),
        deadlineAt: new Date(Date.now() + 3_600_000),
        lastError: null,
      });
      // added, removed when they left the segment, added again: all three reached Meta
      await insertAudienceEntries(db, [handoff('add', 1), handoff('remove', 1), handoff('add', 2)]);
      await sql`UPDATE audience_entries SET status = 'synced'`.execute(db);

      const erasure = await db.transaction().execute((tx) =>
        startErasure(tx, {
          id: randomUUID(),
          workspaceId,
          userId: 'returning-user',
          requestedBy: 'test',
          now: new Date(),
          retryWindowMs: 3_600_000,
          suppressUntil: new Date(Date.now() + 86_400_000),
        }),
      );
      const removal = await sql<{ entry_seq: number; status: string; origin: string }>`
      SELECT entry_seq, status, origin FROM audience_entries WHERE action = 'remove' AND status = 'pending'`.execute(
        db,
      );
      expect(removal.rows).toEqual([{ entry_seq: 2, status: 'pending', origin: 'erasure' }]);

      expect(await advanceErasures(db, new Date())).toBe(0);
      const waiting = await findErasure(db, workspaceId, erasure.erasure.id);
      expect(waiting).toMatchObject({ status: 'removing', removals: [expect.objectContaining({ status: 'pending' })] });

      await sql`UPDATE audience_entries SET status = 'synced', sent_at = now() WHERE origin = 'erasure'`.execute(db);
      expect(await advanceErasures(db, new Date())).toBe(1);
      const done = await findErasure(db, workspaceId, erasure.erasure.id);
      expect(done).toMatchObject({ status: 'completed', removals: [expect.objectContaining({ status: 'confirmed' })] });
      const left = await sql<{ n: string }>`SELECT count(*) AS n FROM audience_entries`.execute(db);
      expect(left.rows[0]!.n).toBe('0');
    },
  );
});
