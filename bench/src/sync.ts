import { sql } from 'kysely';
import type { Db } from '@canvas/db';
import {
  startSyncHarness,
  startSyncProcess,
  stepTotals,
  waitFor,
  type SyncAccount,
  type SyncHarness,
} from '../../test/support/index.ts';
import { peakRssMb } from './context.ts';

/** Seeds pending users straight in SQL (valid SHA-256 e-mails and phones), with their counters. */
export async function seedPending(
  db: Db,
  account: SyncAccount,
  canvas: { canvasId: string; audienceId: string },
  workspaceId: string,
  users: number,
  prefix: string,
): Promise<void> {
  for (let from = 0; from < users; from += 100_000) {
    const to = Math.min(users, from + 100_000) - 1;
    await sql`
      INSERT INTO audience_entries (meta_account_id, ad_account_id, workspace_id, audience_id, action, canvas_id,
        version, step_id, user_id, entry_seq, schema, row_values, status, next_attempt_at, entered_at, deadline_at)
      SELECT ${account.metaAccountId}, ${account.adAccountId}::uuid, ${workspaceId}::uuid, ${canvas.audienceId}, 'add',
        ${canvas.canvasId}::uuid, 1, 'fb', ${prefix} || i, 1,
        ARRAY['EMAIL','PHONE'],
        ARRAY[
          encode(sha256(convert_to(${prefix} || i || '@example.com', 'UTF8')), 'hex'),
          encode(sha256(convert_to((14150000000 + i)::text, 'UTF8')), 'hex')
        ],
        'pending', now(), now(), now() + interval '13 hours'
      FROM generate_series(${from}::int, ${to}::int) AS i`.execute(db);
  }
  await sql`INSERT INTO step_counters (workspace_id, canvas_id, version, step_id, metric, bucket, shard, value) VALUES
    (${workspaceId}::uuid, ${canvas.canvasId}::uuid, 1, 'fb', 'entered', date_trunc('hour', now()), 0, ${users}),
    (${workspaceId}::uuid, ${canvas.canvasId}::uuid, 1, 'fb', 'pending', date_trunc('hour', now()), 0, ${users})
    ON CONFLICT (canvas_id, version, step_id, metric, bucket, shard, workspace_id)
    DO UPDATE SET value = step_counters.value + excluded.value`.execute(db);
}

/** Users per second delivered under a backlog, and the mean users per request. */
export async function syncThroughput(users: number): Promise<{ usersPerSecond: number; meanBatch: number }> {
  const h = await startSyncHarness();
  try {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    await seedPending(h.database.db, account, canvas, h.workspaceId, users, 'thr');
    const started = Date.now();
    h.startSync({ SYNC_BATCH_WINDOW: '5s', META_MAX_CONCURRENT_REQUESTS: '4' });
    await waitFor(async () => (await stepTotals(h.database.db))[0]?.pending === 0, {
      what: 'the backlog',
      timeoutMs: 600_000,
      intervalMs: 100,
    });
    const seconds = (Date.now() - started) / 1000;
    const uploads = h.sandbox.state.requests.filter((r) => r.action === 'add' && r.status === 200);
    return {
      usersPerSecond: users / seconds,
      meanBatch: uploads.reduce((n, r) => n + (r.rows ?? 0), 0) / uploads.length,
    };
  } finally {
    await h.close();
  }
}

/** Requests sent per rolling window against the quota allowed, with a scaled sandbox clock. */
export async function quotaUse(users: number): Promise<{ meanUse: number; minUse: number; maxUse: number }> {
  const windowMs = 4000;
  const quota = 100;
  const h: SyncHarness = await startSyncHarness({
    timeScale: 3_600_000 / windowMs,
    settings: { quotaBase: quota, quotaPerAudience: 0 },
  });
  try {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    await seedPending(h.database.db, account, canvas, h.workspaceId, users, 'quota');
    await h.drainUnderQuota(quota, windowMs, 600_000);
    const times = h.sandbox.state.requests.filter((r) => r.action === 'add').map((r) => r.at);
    const uses: number[] = [];
    for (let i = 0, j = 0; i < times.length; i += 1) {
      while ((times[j] ?? 0) <= times[i]! - windowMs) j += 1;
      if (times[i]! - times[0]! >= windowMs) uses.push((i - j + 1) / quota);
    }
    const rejected = h.sandbox.state.requests.filter((r) => r.metaCode === 80003).length;
    if (rejected > 0) throw new Error(`${rejected} requests were throttled: the quota was exceeded`);
    return {
      meanUse: uses.reduce((a, b) => a + b, 0) / uses.length,
      minUse: Math.min(...uses),
      maxUse: Math.max(...uses),
    };
  } finally {
    await h.close();
  }
}

/** Peak RSS of an audience-sync process draining a backlog of pending users. */
export async function syncPeakRss(
  users: number,
  limitMs: number,
  nodeOptions?: string,
): Promise<{ peakMb: number; delivered: number }> {
  const h = await startSyncHarness();
  try {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    await seedPending(h.database.db, account, canvas, h.workspaceId, users, 'mem');
    const sync = startSyncProcess(
      h.syncEnv({ SYNC_BATCH_WINDOW: '5s', LOG_LEVEL: 'warn', ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) }),
    );
    const deadline = Date.now() + limitMs;
    let peakMb = 0;
    let delivered = 0;
    while (Date.now() < deadline) {
      peakMb = Math.max(peakMb, peakRssMb(sync.child.pid!));
      delivered = (await stepTotals(h.database.db))[0]?.synced ?? 0;
      if (delivered >= users) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    peakMb = Math.max(peakMb, peakRssMb(sync.child.pid!));
    await sync.stop('SIGTERM');
    return { peakMb, delivered };
  } finally {
    await h.close();
  }
}
