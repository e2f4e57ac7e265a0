import {
  adAccountTokenRow,
  dueResyncs,
  findResync,
  resyncingAudiences,
  type AdAccountWithToken,
  type Resync,
} from '@canvas/db';
import { sleep, type TokenCipher } from '@canvas/runtime';
import { confirmReplace } from './resync-confirm.js';
import { change, endWith, resyncError, type ResyncDeps, type ResyncTask } from './resync-context.js';
import { readyToStart, sendNextBatch, startUpload } from './resync-upload.js';

export interface ResyncWorkerDeps extends ResyncDeps {
  cipher: TokenCipher;
  /** True while a users write of the audience started before its resync is under way. */
  audienceBusy: (audienceId: string) => boolean;
}

/**
 * Drives one Meta account's resyncs, each as a task of its own beside the account's uploads: wait
 * for the segment run, fix the members, send the session's batches, confirm with Meta, settle. Every
 * step is stored before the next, so a new owner resumes where a killed one stopped. While a resync
 * is open its audience's other writes wait (`holding`): Meta refuses them during a replace.
 */
export function resyncWorker(deps: ResyncWorkerDeps) {
  const controller = new AbortController();
  const running = new Map<string, Promise<void>>();
  const inFlight = new Map<string, string>();

  async function drive(task: ResyncTask, first: Resync, ready: boolean): Promise<void> {
    let resync: Resync | undefined = first;
    while (resync && !task.signal.aborted && resync.nextAttemptAt.getTime() <= deps.now().getTime()) {
      switch (resync.status) {
        case 'waiting':
          if (!ready) return;
          resync = await startUpload(task, resync);
          break;
        case 'uploading':
          // a users write begun before the resync finishes first: Meta refuses them during a replace
          while (deps.audienceBusy(resync.audienceId) && !task.signal.aborted) await sleep(50, task.signal);
          if (task.signal.aborted) return;
          resync = await sendNextBatch(task, resync);
          break;
        case 'confirming':
          resync = await confirmReplace(task, resync);
          break;
        case 'done':
        case 'unconfirmed':
        case 'failed':
          return;
      }
    }
  }

  return {
    /** Audiences whose other writes wait: those of open resyncs, and of resyncs being driven now. */
    async holding(): Promise<Set<string>> {
      const held = await resyncingAudiences(deps.db, deps.metaAccountId);
      for (const audienceId of inFlight.values()) held.add(audienceId);
      return held;
    },

    /** Starts a task for each due resync that has none, on a connection the sync may use. */
    async tick(connections: ReadonlyMap<string, AdAccountWithToken>, usable: ReadonlySet<string>, now: Date) {
      for (const due of await dueResyncs(deps.db, deps.metaAccountId, now)) {
        if (running.has(due.id) || controller.signal.aborted) continue;
        const connection = connections.get(due.adAccountId);
        // a held connection keeps its resync waiting, as it keeps its users pending
        if (!connection || !usable.has(due.adAccountId)) continue;
        const token = deps.cipher.decrypt(connection.tokenCiphertext, adAccountTokenRow(connection));
        const task: ResyncTask = { deps, token, signal: controller.signal };
        inFlight.set(due.id, due.audienceId);
        const work = drive(task, due, readyToStart(due))
          .catch(async (error: unknown) => {
            deps.logger.error({ err: error, resyncId: due.id }, 'resync step failed unexpectedly; trying again later');
            const current = await findResync(deps.db, deps.metaAccountId, due.id);
            if (!current) return;
            const at = deps.now();
            const lastError = resyncError('RESYNC_STEP_FAILED', 'unexpected error', error, at);
            if (current.attempts + 1 >= deps.settings.maxAttempts) await endWith(task, current, 'failed', lastError);
            else
              await change(task, current, {
                attempts: current.attempts + 1,
                nextAttemptAt: new Date(at.getTime() + deps.settings.retry.minDelayMs),
                lastError,
              });
          })
          .catch((error: unknown) =>
            deps.logger.error({ err: error, resyncId: due.id }, 'could not record a resync failure'),
          )
          .finally(() => {
            running.delete(due.id);
            inFlight.delete(due.id);
          });
        running.set(due.id, work);
      }
    },

    /** Lets batches already sent record their outcome; nothing unsent is marked sent. */
    async stop(): Promise<void> {
      controller.abort();
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type ResyncWorker = ReturnType<typeof resyncWorker>;
