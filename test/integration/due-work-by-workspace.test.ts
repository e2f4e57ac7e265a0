import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { claimDueTimers, workspaceRotation, workspacesWithDueTimers, type ClaimedTimer } from '@canvas/db';
import { createTestDatabase, seedWorkspace, type TestDatabase } from '@canvas/test-support';

const backlog = '0a000000-0000-4000-8000-00000000000a';
const small = '0b000000-0000-4000-8000-00000000000b';
const idle = '0c000000-0000-4000-8000-00000000000c';
const canvasOf = (workspace: string, status: string) =>
  `${workspace.slice(0, 8)}-0000-4000-9000-${status === 'running' ? '000000000001' : '000000000002'}`;
const now = new Date('2026-12-08T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

async function seedTimers(
  db: TestDatabase['db'],
  workspace: string,
  canvas: string,
  dueAt: readonly Date[],
  tag = 'u',
) {
  for (const [i, due] of dueAt.entries())
    await sql`INSERT INTO timers (workspace_id, user_id, canvas_id, entry_seq, step_id, due_at)
      VALUES (${workspace}, ${`${tag}${String(i).padStart(3, '0')}`}, ${canvas}, 1, 'wait', ${due})`.execute(db);
}

describe('due timers are claimed one workspace at a time, the workspaces taking turns', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    for (const workspace of [backlog, small, idle]) {
      await seedWorkspace(db, workspace, workspace.slice(0, 2));
      for (const status of ['running', 'paused'])
        await sql`INSERT INTO canvases (id, workspace_id, name, status, latest_version)
          VALUES (${canvasOf(workspace, status)}, ${workspace}, ${status}, ${status}, 1)`.execute(db);
    }
    // the backlog: 20 due, oldest first by index; the small workspace: 2 due, and one of a paused canvas
    await seedTimers(
      db,
      backlog,
      canvasOf(backlog, 'running'),
      Array.from({ length: 20 }, (_, i) => minutesAgo(60 - i)),
    );
    await seedTimers(db, small, canvasOf(small, 'running'), [minutesAgo(5), minutesAgo(1)]);
    await seedTimers(db, small, canvasOf(small, 'paused'), [minutesAgo(90)], 'paused');
    await seedTimers(db, idle, canvasOf(idle, 'running'), [new Date(now.getTime() + 60_000)]);
  });
  afterAll(async () => database.drop());

  it('names the workspaces with due timers, without locking', async () => {
    expect(await workspacesWithDueTimers(database.db, now)).toEqual([backlog, small]);
  });

  it("claims one workspace's due timers of running canvases, oldest first, skipping held ones", async () => {
    const mine = await database.db.transaction().execute(async (tx) => {
      const first = await claimDueTimers(tx, small, now, 10);
      // a second runner, meanwhile, finds them held
      const other = await database.db.transaction().execute((tx2) => claimDueTimers(tx2, small, now, 10));
      return { first, other };
    });
    expect(mine.first.map((t) => [t.workspaceId, t.userId, t.canvasStatus])).toEqual([
      [small, 'u000', 'running'],
      [small, 'u001', 'running'],
    ]);
    expect(mine.other).toEqual([]);
  });

  it("serves a small workspace's timers in the second turn, not after the other's backlog", async () => {
    const rotation = workspaceRotation(() => workspacesWithDueTimers(database.db, now));
    const served: string[] = [];
    for (let tick = 0; tick < 6; tick += 1) {
      const [workspace] = await rotation.next(1);
      if (workspace === undefined) break;
      const claimed: ClaimedTimer[] = await database.db.transaction().execute(async (tx) => {
        const timers = await claimDueTimers(tx, workspace, now, 5);
        // fired: the loop deletes each timer it moves on
        for (const t of timers)
          await sql`DELETE FROM timers WHERE workspace_id = ${t.workspaceId} AND user_id = ${t.userId}
              AND canvas_id = ${t.canvasId}`.execute(tx);
        return timers;
      });
      served.push(`${workspace.slice(0, 2)}:${claimed.length}`);
    }
    expect(served).toEqual(['0a:5', '0b:2', '0a:5', '0b:0', '0a:5', '0b:0']);
  });
});
