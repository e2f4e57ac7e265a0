import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createAudienceSync, syncConfigSchema, type AudienceSync } from '@canvas/audience-sync';
import { adAccountTokenRow, insertAdAccount, listResyncs } from '@canvas/db';
import { createRunner, runnerConfigSchema, type Runner } from '@canvas/journey-runner';
import { createGraphClient } from '@canvas/meta-graph';
import { startSandbox, type RunningSandbox } from '@canvas/meta-sandbox';
import { createLogger, createMetricsRegistry, createTokenCipher } from '@canvas/runtime';
import {
  cartAbandonerIds,
  createShopperBed,
  insertCartAbandonersSegment,
  seedLaunchedCanvas,
  waitFor,
  type RunnerTestBed,
} from '@canvas/test-support';

describe('a following audience resynced after each scheduled run', () => {
  let bed: RunnerTestBed;
  let sandbox: RunningSandbox;
  let runner: Runner | undefined;
  let sync: AudienceSync | undefined;
  const seededAt = new Date();

  beforeAll(async () => {
    bed = await createShopperBed(3_000, seededAt, 41);
    sandbox = await startSandbox({ admin: true });
  });
  afterAll(async () => {
    await runner?.stop();
    await sync?.stop();
    await sandbox.close();
    await bed.close();
  });

  it(
    "replaces the audience with each run's members through one replace session, " +
      'sending no adds or removals one by one',
    async () => {
      const db = bed.database.db;
      const silent = createLogger({ name: 'each-run-test', level: 'silent' });
      // a sandbox account connected to the workspace, and the step's audience
      const account = sandbox.state.createAccount({ name: 'Each run' });
      const token = sandbox.state.createToken({ adAccounts: [account.id] }).token;
      const key = randomBytes(32).toString('base64');
      const cipher = createTokenCipher(key);
      const adAccountId = randomUUID();
      await insertAdAccount(db, {
        id: adAccountId,
        workspaceId: bed.workspaceId,
        metaAccountId: account.id,
        name: account.name,
        status: 'connected',
        statusReason: null,
        tokenCiphertext: cipher.encrypt(token, adAccountTokenRow({ workspaceId: bed.workspaceId, id: adAccountId })),
        isDefault: true,
        addedBy: 'test',
        now: new Date(),
      });
      const graph = createGraphClient({ baseUrl: sandbox.url });
      const audienceId = (await graph.createCustomAudience(token, account.id, { name: 'Mirror_Each_Run' })).data.id;
      await graph.close();

      const segmentId = await insertCartAbandonersSegment(bed, seededAt);
      const firstRunAt = new Date(Date.now() + 3_000);
      const secondRunAt = new Date(Date.now() + 35_000);
      const canvasId = randomUUID();
      await seedLaunchedCanvas(db, {
        id: canvasId,
        workspaceId: bed.workspaceId,
        audience: { adAccountId, metaAccountId: account.id, audienceId },
        definition: {
          name: 'Cart abandoners, replaced each run',
          entry: {
            segment: { segmentId, runs: { kind: 'dates', at: [firstRunAt.toISOString(), secondRunAt.toISOString()] } },
            reentry: { policy: 'after_cooldown', cooldown: '0s' },
          },
          firstStep: 'fb',
          steps: [
            {
              id: 'fb',
              kind: 'facebook_audience',
              audience: { id: audienceId },
              matchKeys: ['EXTERN_ID', 'EMAIL'],
              followSegment: true,
              resync: 'each_run',
              next: null,
            },
          ],
        },
      });

      const env = bed.env({ SEGMENT_RUN_POLL_INTERVAL: '100ms', TIMER_POLL_INTERVAL: '1h', LOG_LEVEL: 'silent' });
      runner = await createRunner({
        config: runnerConfigSchema.parse(env),
        db,
        logger: silent,
        registry: createMetricsRegistry('journey-runner'),
      });
      await runner.start();
      sync = createAudienceSync({
        config: syncConfigSchema.parse({
          DATABASE_URL: bed.database.url,
          TOKEN_ENCRYPTION_KEY: key,
          META_GRAPH_URL: sandbox.url,
          SYNC_BATCH_WINDOW: '500ms',
          SYNC_OWNERSHIP_INTERVAL: '500ms',
          SYNC_RESYNC_POLL_INTERVAL: '200ms',
          SYNC_MAX_USERS_PER_REQUEST: '500',
        }),
        db,
        cipher,
        logger: silent,
        registry: createMetricsRegistry('audience-sync'),
      });
      sync.start();

      const resyncs = () => listResyncs(db, bed.workspaceId, canvasId, 'fb', 10);
      const members = () => {
        const audience = sandbox.state.audiences.get(audienceId)!;
        sandbox.state.replaces.refresh(audience);
        return [...audience.members.values()].map((m) => m.EXTERN_ID).sort();
      };
      const usersWrites = () =>
        sandbox.state.requests.filter((r) => r.audienceId === audienceId && r.path.endsWith('/users'));
      const entries = async () =>
        (
          await sql<{ action: string; status: string; n: string }>`
          SELECT action, status, count(*) AS n FROM audience_entries WHERE canvas_id = ${canvasId}
          GROUP BY action, status ORDER BY action, status`.execute(db)
        ).rows.map((r) => `${r.action} ${r.status} ${r.n}`);

      // run 1: every member enters; the sync replaces the audience with them
      await waitFor(async () => (await resyncs())[0]?.status === 'done', {
        what: 'the first resync',
        timeoutMs: 60_000,
      });
      const firstMembers = await cartAbandonerIds(db, bed.workspaceId, firstRunAt);
      expect(firstMembers.length).toBeGreaterThan(200);
      expect((await resyncs())[0]).toMatchObject({
        requestedBy: 'schedule',
        runScheduledAt: firstRunAt,
        members: firstMembers.length,
        batches: Math.ceil(firstMembers.length / 500),
        added: firstMembers.length,
        removed: 0,
        sessionsStarted: 1,
      });
      expect(members()).toEqual(firstMembers);
      expect(usersWrites()).toEqual([]);
      expect(await entries()).toEqual([`add synced ${firstMembers.length}`]);

      // some members buy before the second run
      const buyers = firstMembers.filter((_, i) => i % 5 === 1);
      await bed.produce(
        buyers.map((userId) => ({
          key: userId,
          value: JSON.stringify({ type: 'track', userId, messageId: `${userId}-bought`, event: 'purchased' }),
        })),
      );
      await waitFor(async () => (await bed.processed(env.CONSUMER_GROUP!)) === buyers.length, {
        what: 'the purchases applied',
      });

      // run 2: its leavers leave through the replace as well
      await waitFor(async () => (await resyncs()).length === 2 && (await resyncs())[0]?.status === 'done', {
        what: 'the second resync',
        timeoutMs: 90_000,
      });
      const secondMembers = await cartAbandonerIds(db, bed.workspaceId, secondRunAt);
      const left = firstMembers.filter((u) => !secondMembers.includes(u));
      const joined = secondMembers.filter((u) => !firstMembers.includes(u));
      expect(buyers.every((u) => left.includes(u))).toBe(true);
      expect((await resyncs())[0]).toMatchObject({
        runScheduledAt: secondRunAt,
        members: secondMembers.length,
        added: joined.length,
        removed: left.length,
      });
      expect(members()).toEqual(secondMembers);
      expect(usersWrites()).toEqual([]);
      expect(await entries()).toEqual([
        `add synced ${firstMembers.length + joined.length}`,
        `remove synced ${left.length}`,
      ]);
    },
  );
});
