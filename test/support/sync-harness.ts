import { randomBytes, randomUUID } from 'node:crypto';
import {
  addCounters,
  adAccountTokenRow,
  insertAdAccount,
  insertAudienceEntries,
  pendingStats,
  type Db,
} from '@canvas/db';
import { createAudienceSync, syncConfigSchema, type AudienceSync } from '@canvas/audience-sync';
import { matchRow, withLimitedDataUse, type MatchKey } from '@canvas/meta-graph';
import { startSandbox, type RunningSandbox, type SandboxSettings } from '@canvas/meta-sandbox';
import {
  createLogger,
  createMetricsRegistry,
  createTokenCipher,
  type Registry,
  type TokenCipher,
} from '@canvas/runtime';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { stopAllProcesses } from './process.ts';
import { seedLaunchedCanvas, seedWorkspace } from './seed.ts';
import { waitFor } from './wait.ts';

export interface SyncAccount {
  adAccountId: string;
  metaAccountId: string;
  token: string;
}

export interface SyncHarness {
  database: TestDatabase;
  sandbox: RunningSandbox;
  cipher: TokenCipher;
  encryptionKey: string;
  workspaceId: string;
  /** A sandbox ad account connected to the workspace, with an encrypted token. */
  connectAccount: () => Promise<SyncAccount>;
  /** A launched canvas whose Facebook step "fb" sends to a new sandbox audience. */
  canvasWithAudience: (
    account: SyncAccount,
    options?: { action?: 'add' | 'remove'; matchKeys?: MatchKey[]; name?: string },
  ) => Promise<{ canvasId: string; audienceId: string }>;
  /** Users reaching the Facebook step, written as the runner writes them: entries and counters together. */
  enter: (
    canvas: { canvasId: string; audienceId: string },
    account: SyncAccount,
    users: readonly { userId: string; traits: Record<string, unknown> }[],
    options?: { retryWindowMs?: number; action?: 'add' | 'remove'; matchKeys?: MatchKey[] },
  ) => Promise<void>;
  /** Starts an in-process sync with test settings, on the given clock if any; `registry` holds its metrics. */
  startSync: (env?: Record<string, string>, options?: { now?: () => Date }) => AudienceSync & { registry: Registry };
  /**
   * Waits until a sync round begun at `at` or later (on the sync's clock) has finished for the
   * account: its report then shows the oldest pending user at least that old. Needs pending users.
   */
  roundAfter: (account: SyncAccount, at: Date) => Promise<void>;
  /** A sync held to `quota` calls per `windowMs`, 100 users a request, then waits until nothing is pending. */
  drainUnderQuota: (quota: number, windowMs: number, timeoutMs: number) => Promise<void>;
  syncEnv: (env?: Record<string, string>) => Record<string, string>;
  close: () => Promise<void>;
}

export async function startSyncHarness(
  options: { timeScale?: number; settings?: Partial<SandboxSettings> } = {},
): Promise<SyncHarness> {
  const database = await createTestDatabase();
  const sandbox = await startSandbox({
    admin: true,
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const encryptionKey = randomBytes(32).toString('base64');
  const cipher = createTokenCipher(encryptionKey);
  const workspaceId = randomUUID();
  await seedWorkspace(database.db, workspaceId);
  const syncs: AudienceSync[] = [];
  const registries: Registry[] = [];

  const syncEnv = (env: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    TOKEN_ENCRYPTION_KEY: encryptionKey,
    META_GRAPH_URL: sandbox.url,
    SYNC_BATCH_WINDOW: '1s',
    SYNC_OWNERSHIP_INTERVAL: '500ms',
    SYNC_RETRY_MIN_DELAY: '200ms',
    SYNC_RETRY_MAX_DELAY: '2s',
    META_DEFAULT_THROTTLE_WAIT: '1s',
    ...env,
  });

  const harness: SyncHarness = {
    database,
    sandbox,
    cipher,
    encryptionKey,
    workspaceId,
    syncEnv,
    async connectAccount() {
      const account = sandbox.state.createAccount({ name: 'Sync test account' });
      const token = sandbox.state.createToken({ adAccounts: [account.id] }).token;
      const adAccountId = randomUUID();
      await insertAdAccount(database.db, {
        id: adAccountId,
        workspaceId,
        metaAccountId: account.id,
        name: account.name,
        status: 'connected',
        statusReason: null,
        tokenCiphertext: cipher.encrypt(token, adAccountTokenRow({ workspaceId, id: adAccountId })),
        isDefault: false,
        addedBy: 'test',
        now: new Date(),
      });
      return { adAccountId, metaAccountId: account.id, token };
    },
    async canvasWithAudience(account, canvasOptions = {}) {
      const audienceId = sandbox.state.newAudienceId();
      sandbox.state.addAudience({
        id: audienceId,
        accountId: account.metaAccountId,
        name: canvasOptions.name ?? `audience ${audienceId}`,
      });
      const canvasId = randomUUID();
      await seedLaunchedCanvas(database.db, {
        id: canvasId,
        workspaceId,
        audience: { adAccountId: account.adAccountId, metaAccountId: account.metaAccountId, audienceId },
        definition: {
          name: canvasOptions.name ?? 'sync test',
          entry: { trigger: { event: 'e' } },
          firstStep: 'fb',
          steps: [
            {
              id: 'fb',
              kind: 'facebook_audience',
              audience: { id: audienceId },
              action: canvasOptions.action ?? 'add',
              matchKeys: canvasOptions.matchKeys ?? ['EMAIL', 'PHONE'],
              next: null,
            },
          ],
        },
      });
      return { canvasId, audienceId };
    },
    async enter(canvas, account, users, enterOptions = {}) {
      const schema = enterOptions.matchKeys ?? (['EMAIL', 'PHONE'] as MatchKey[]);
      const now = new Date();
      await database.db.transaction().execute(async (tx) => {
        const entries = users.map((u) => {
          const row = matchRow(schema, { userId: u.userId, traits: u.traits }, now.getUTCFullYear());
          // as the runner's hand-off does
          const sent = withLimitedDataUse(schema, row.values, u.traits);
          return {
            metaAccountId: account.metaAccountId,
            adAccountId: account.adAccountId,
            workspaceId,
            audienceId: canvas.audienceId,
            action: enterOptions.action ?? ('add' as const),
            canvasId: canvas.canvasId,
            version: 1,
            stepId: 'fb',
            userId: u.userId,
            entrySeq: 1,
            schema: sent.schema,
            values: sent.values,
            status: row.usable ? ('pending' as const) : ('not_synced' as const),
            enteredAt: now,
            deadlineAt: new Date(now.getTime() + (enterOptions.retryWindowMs ?? 13 * 3_600_000)),
            lastError: null,
          };
        });
        await insertAudienceEntries(tx, entries);
        const pending = entries.filter((e) => e.status === 'pending').length;
        await addCounters(
          tx,
          [
            {
              workspaceId,
              canvasId: canvas.canvasId,
              version: 1,
              stepId: 'fb',
              metric: 'entered',
              delta: entries.length,
            },
            { workspaceId, canvasId: canvas.canvasId, version: 1, stepId: 'fb', metric: 'pending', delta: pending },
            {
              workspaceId,
              canvasId: canvas.canvasId,
              version: 1,
              stepId: 'fb',
              metric: 'not_synced',
              delta: entries.length - pending,
            },
          ],
          now,
          0,
        );
      });
    },
    startSync(env = {}, syncOptions = {}) {
      const config = syncConfigSchema.parse(syncEnv(env));
      const registry = createMetricsRegistry('audience-sync');
      const sync = createAudienceSync({
        config,
        db: database.db,
        cipher,
        logger: createLogger({ name: 'sync-test', level: 'silent' }),
        registry,
        ...(syncOptions.now ? { now: syncOptions.now } : {}),
      });
      syncs.push(sync);
      registries.push(registry);
      sync.start();
      return Object.assign(sync, { registry });
    },
    async roundAfter(account, at) {
      const { oldestEnteredAt } = await pendingStats(database.db, account.metaAccountId);
      if (!oldestEnteredAt) throw new Error(`no pending users on ${account.metaAccountId} to see a round by`);
      const age = (at.getTime() - oldestEnteredAt.getTime()) / 1000;
      await waitFor(
        async () => {
          for (const registry of registries) {
            const gauge = await registry.getSingleMetric('canvas_sync_oldest_pending_seconds')?.get();
            if (gauge?.values.some((v) => v.labels.ad_account === account.metaAccountId && v.value >= age)) return true;
          }
          return false;
        },
        { what: `a sync round from ${at.toISOString()}`, intervalMs: 20 },
      );
    },
    async drainUnderQuota(quota, windowMs, timeoutMs) {
      harness.startSync({
        META_QUOTA_PER_HOUR: String(quota),
        META_QUOTA_WINDOW: `${windowMs}ms`,
        SYNC_MAX_USERS_PER_REQUEST: '100',
        META_MAX_CONCURRENT_REQUESTS: '8',
      });
      await waitFor(async () => (await stepTotals(database.db))[0]?.pending === 0, {
        what: 'the backlog to drain',
        timeoutMs,
        intervalMs: 100,
      });
    },
    /** Stops the in-process syncs and every process a test started (a sync process would outlive its database). */
    async close() {
      await stopAllProcesses();
      await Promise.all(syncs.map((s) => s.stop()));
      await sandbox.close();
      await database.drop();
    },
  };
  return harness;
}

export async function stepTotals(db: Db): Promise<
  {
    key: string;
    entered: number;
    accounted: number;
    synced: number;
    pending: number;
    errored: number;
    notSynced: number;
    invalidEntries: number;
  }[]
> {
  const rows = await db
    .selectFrom('step_counters')
    .select(['canvas_id', 'step_id', 'metric', db.fn.sum<string>('value').as('total')])
    .groupBy(['canvas_id', 'step_id', 'metric'])
    .execute();
  const byStep = new Map<string, Record<string, number>>();
  for (const r of rows)
    byStep.set(`${r.canvas_id}/${r.step_id}`, {
      ...byStep.get(`${r.canvas_id}/${r.step_id}`),
      [r.metric]: Number(r.total),
    });
  return [...byStep.entries()]
    .filter(([key]) => !key.endsWith('/$canvas'))
    .map(([key, m]) => ({
      key,
      entered: m.entered ?? 0,
      synced: m.synced ?? 0,
      pending: m.pending ?? 0,
      errored: m.errored ?? 0,
      notSynced: m.not_synced ?? 0,
      accounted: (m.synced ?? 0) + (m.pending ?? 0) + (m.errored ?? 0) + (m.not_synced ?? 0),
      invalidEntries: m.invalid_entries ?? 0,
    }));
}

let phones = 0;

/** Users with unique e-mails and phone numbers (the sandbox merges people who share one). */
export function syntheticUsers(prefix: string, count: number, options: { withoutKeys?: number } = {}) {
  return Array.from({ length: count }, (_, i) => ({
    userId: `${prefix}-${i}`,
    traits:
      i < (options.withoutKeys ?? 0)
        ? { firstName: 'Nokeys' }
        : { email: `${prefix}.${i}@example.com`, phone: `+1415${String(2_000_000 + (phones++ % 7_000_000))}` },
  }));
}
