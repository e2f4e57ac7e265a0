import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { dueGroups, insertAudienceEntries, type NewAudienceEntry } from '@canvas/db';
import { createTestDatabase, type TestDatabase } from '@canvas/test-support';

const metaAccountId = '1234567890';
const adAccountId = randomUUID();
const workspaceId = randomUUID();
const canvasId = randomUUID();
const enteredAt = new Date('2026-12-07T10:00:00Z');

const entry = (stepId: string, action: 'add' | 'remove', userId: string): NewAudienceEntry => ({
  metaAccountId,
  adAccountId,
  audienceId: '238000001',
  workspaceId,
  action,
  canvasId,
  version: 1,
  stepId,
  userId,
  entrySeq: 1,
  schema: ['EMAIL'],
  values: ['0f1e'],
  status: 'pending',
  enteredAt,
  deadlineAt: new Date(enteredAt.getTime() + 3_600_000),
  lastError: null,
});

describe('a removal from an audience another step added to', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database.drop());

  const actionsDue = async () =>
    (await dueGroups(database.db, metaAccountId, [adAccountId], new Date(enteredAt.getTime() + 60_000)))
      .map((g) => `${g.action}:${g.stepId}`)
      .sort();

  it('waits while the add is pending, whichever step made it, and goes once the add is synced', async () => {
    // the "add" step adds u1; later the "remove" step (audience.fromStep: add) removes u1
    await insertAudienceEntries(database.db, [entry('add', 'add', 'u1'), entry('remove', 'remove', 'u1')]);
    expect(await actionsDue()).toEqual(['add:add']);

    await sql`UPDATE audience_entries SET status = 'synced' WHERE action = 'add'`.execute(database.db);
    expect(await actionsDue()).toEqual(['remove:remove']);
  });

  it('does not wait for another user’s add, nor for an add entered after the removal', async () => {
    await insertAudienceEntries(database.db, [entry('remove', 'remove', 'u2')]);
    await insertAudienceEntries(database.db, [entry('add', 'add', 'u3'), entry('add', 'add', 'u2')]);
    const due = await dueGroups(database.db, metaAccountId, [adAccountId], new Date(enteredAt.getTime() + 60_000));
    expect(due.map((g) => g.action).sort()).toEqual(['add', 'remove']);
  });
});
