import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  addCounters,
  findResync,
  handOffRemovals,
  insertAudienceEntries,
  recordAudienceMembers,
  requestResyncs,
  type CounterDelta,
  type Resync,
} from '@canvas/db';
import { createGraphClient, matchRow, type MatchKey } from '@canvas/meta-graph';
import { seedLaunchedCanvas } from './seed.ts';
import type { SyncAccount, SyncHarness } from './sync-harness.ts';
import { waitFor } from './wait.ts';

export interface FollowingCanvas {
  canvasId: string;
  audienceId: string;
  stepId: string;
}

const schema: MatchKey[] = ['EMAIL', 'PHONE'];
const retryWindowMs = 13 * 3_600_000;

/** A launched segment-entry canvas whose step "fb" follows the segment into a new sandbox audience. */
export async function followingCanvas(h: SyncHarness, account: SyncAccount, name: string): Promise<FollowingCanvas> {
  const audienceId = h.sandbox.state.newAudienceId();
  h.sandbox.state.addAudience({ id: audienceId, accountId: account.metaAccountId, name: name });
  const canvasId = randomUUID();
  await seedLaunchedCanvas(h.database.db, {
    id: canvasId,
    workspaceId: h.workspaceId,
    audience: { adAccountId: account.adAccountId, metaAccountId: account.metaAccountId, audienceId },
    definition: {
      name,
      entry: {
        segment: { segmentId: randomUUID(), runs: { kind: 'once' } },
        reentry: { policy: 'after_cooldown', cooldown: '0s' },
      },
      firstStep: 'fb',
      steps: [
        {
          id: 'fb',
          kind: 'facebook_audience',
          audience: { id: audienceId },
          matchKeys: schema,
          followSegment: true,
          next: null,
        },
      ],
    },
  });
  return { canvasId, audienceId, stepId: 'fb' };
}

type User = { userId: string; traits: Record<string, unknown> };

/** The hashed row a user is stored (and sent) with, in the step's schema. */
export const rowOf = (user: User) => matchRow(schema, user, new Date().getUTCFullYear()).values;

/**
 * Users a following step put in its audience, written as the runner and the sync leave them:
 * the add (Pending, Synced or Errored), the membership, the counters; `left` users then stopped
 * qualifying (a Pending removal). Synced users are added to the sandbox audience through /users.
 */
export async function seedFollowing(
  h: SyncHarness,
  account: SyncAccount,
  canvas: FollowingCanvas,
  groups: readonly { users: readonly User[]; status: 'pending' | 'synced' | 'errored'; left?: boolean }[],
): Promise<void> {
  const now = new Date();
  const db = h.database.db;
  await db.transaction().execute(async (tx) => {
    const counters: CounterDelta[] = [];
    const count = (metric: CounterDelta['metric'], delta: number) =>
      counters.push({
        workspaceId: h.workspaceId,
        canvasId: canvas.canvasId,
        version: 1,
        stepId: canvas.stepId,
        metric,
        delta,
      });
    for (const group of groups) {
      await insertAudienceEntries(
        tx,
        group.users.map((u) => ({
          metaAccountId: account.metaAccountId,
          adAccountId: account.adAccountId,
          workspaceId: h.workspaceId,
          audienceId: canvas.audienceId,
          action: 'add' as const,
          canvasId: canvas.canvasId,
          version: 1,
          stepId: canvas.stepId,
          userId: u.userId,
          entrySeq: 1,
          schema,
          values: rowOf(u),
          status: 'pending' as const,
          enteredAt: now,
          deadlineAt: new Date(now.getTime() + retryWindowMs),
          lastError: null,
        })),
      );
      const ids = group.users.map((u) => u.userId);
      const sentAt = group.status === 'synced' ? now : null;
      if (group.status !== 'pending')
        await sql`UPDATE audience_entries SET status = ${group.status}, sent_at = ${sentAt}
          WHERE canvas_id = ${canvas.canvasId} AND user_id = ANY(${ids}::text[])`.execute(tx);
      count('entered', ids.length);
      count(group.status, ids.length);
      // in slices, as runs record them: one statement takes at most 65,535 parameters
      for (let i = 0; i < ids.length; i += 5_000)
        await recordAudienceMembers(
          tx,
          ids.slice(i, i + 5_000).map((userId) => ({
            canvasId: canvas.canvasId,
            stepId: canvas.stepId,
            workspaceId: h.workspaceId,
            userId,
            entrySeq: 1,
            addedAt: now,
          })),
        );
      if (group.left)
        counters.push(
          ...(await handOffRemovals(
            tx,
            { canvasId: canvas.canvasId, stepIds: [canvas.stepId], userIds: ids },
            now,
            retryWindowMs,
          )),
        );
    }
    await addCounters(tx, counters, now, 0);
  });
  const synced = groups.filter((g) => g.status === 'synced').flatMap((g) => g.users);
  await addToSandbox(h, account, canvas.audienceId, synced);
}

/** Adds people to the sandbox audience through /users, as the sync (or someone outside the product) did. */
export async function addToSandbox(
  h: SyncHarness,
  account: SyncAccount,
  audienceId: string,
  users: readonly User[],
): Promise<void> {
  const graph = createGraphClient({ baseUrl: h.sandbox.url });
  for (let i = 0; i < users.length; i += 10_000)
    await graph.addUsers(account.token, audienceId, { schema, data: users.slice(i, i + 10_000).map(rowOf) });
  await graph.close();
}

/** Asks for a resync of the step that uploads its members as they are (as on a paused canvas). */
export async function requestStepResync(h: SyncHarness, account: SyncAccount, canvas: FollowingCanvas) {
  const [resync] = await requestResyncs(h.database.db, {
    workspaceId: h.workspaceId,
    canvasId: canvas.canvasId,
    targets: [
      {
        id: randomUUID(),
        stepId: canvas.stepId,
        metaAccountId: account.metaAccountId,
        adAccountId: account.adAccountId,
        audienceId: canvas.audienceId,
      },
    ],
    requestedBy: 'test',
    runScheduledAt: null,
    now: new Date(),
  });
  return resync!;
}

/** The resync as stored now. */
export async function readResync(h: SyncHarness, account: SyncAccount, id: string): Promise<Resync> {
  return (await findResync(h.database.db, account.metaAccountId, id))!;
}

/** Waits until the resync reaches one of these statuses. */
export async function resyncReaches(
  h: SyncHarness,
  account: SyncAccount,
  id: string,
  statuses: readonly Resync['status'][],
  timeoutMs = 120_000,
): Promise<Resync> {
  let last: Resync | undefined;
  await waitFor(
    async () => {
      last = await readResync(h, account, id);
      return statuses.includes(last.status);
    },
    { what: `resync ${statuses.join(' or ')}`, timeoutMs, intervalMs: 50 },
  );
  return last!;
}

/** The e-mail hashes the sandbox audience holds now, sorted. */
export function sandboxEmails(h: SyncHarness, audienceId: string): string[] {
  const audience = h.sandbox.state.audiences.get(audienceId)!;
  h.sandbox.state.replaces.refresh(audience);
  return [...audience.members.values()].map((m) => m.EMAIL ?? '').sort();
}
