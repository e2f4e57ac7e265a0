import { adAccountTokenRow, updateAdAccountToken } from '@canvas/db';
import { startSyncProcess, waitForLog, type ServiceProcess } from './runner-process.ts';
import { startSyncHarness, type SyncAccount, type SyncHarness } from './sync-harness.ts';

/** An audience sync process, once it has logged its start. */
export async function startReadySync(env: Record<string, string>): Promise<ServiceProcess> {
  const sync = startSyncProcess(env);
  await waitForLog(sync, 'audience sync started');
  return sync;
}

/** What PUT /v1/ad-accounts/{id}/token does: a fresh sandbox token for the account, stored encrypted, at `now`. */
export async function reconnectAccount(h: SyncHarness, account: SyncAccount, now: Date): Promise<void> {
  const fresh = h.sandbox.state.createToken({ adAccounts: [account.metaAccountId] }).token;
  await updateAdAccountToken(h.database.db, h.workspaceId, account.adAccountId, {
    tokenCiphertext: h.cipher.encrypt(
      fresh,
      adAccountTokenRow({ workspaceId: h.workspaceId, id: account.adAccountId }),
    ),
    status: 'connected',
    statusReason: null,
    name: 'x',
    now,
  });
}

/** A harness whose sandbox hour lasts `windowMs` real milliseconds, each account allowed `quota` calls an hour. */
export function startScaledSyncHarness(windowMs: number, quota: number): Promise<SyncHarness> {
  return startSyncHarness({ timeScale: 3_600_000 / windowMs, settings: { quotaBase: quota, quotaPerAudience: 0 } });
}
