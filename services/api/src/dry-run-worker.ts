import { randomUUID } from 'node:crypto';
import { claimDryRun, workspaceRotation, workspacesWithClaimableDryRuns } from '@canvas/db';
import { metricFactory, sleep, zeroSeries } from '@canvas/runtime';
import type { ApiDeps } from './deps.js';
import { runDryRun, type DryRunOutcome } from './dry-run-job.js';
import type { DryRunSettings } from './dry-run-settings.js';
import { loggableError } from './problem.js';

export interface DryRunWorker {
  start: () => void;
  /** A run was asked of this process: look for it now rather than at the next poll. */
  wake: () => void;
  /** Stops taking runs; runs under way give their row back to the queue at their next page. */
  stop: () => Promise<void>;
}

/** Runs taken over this many times are failed ("interrupted") instead of started again. */
const maxAttempts = 3;

/** Workspaces one claim looks at before giving up: a claim locks within one workspace at a time. */
const workspacesPerClaim = 4;

/**
 * The API's small dry-run worker: at most `concurrency` runs at once in this process, claimed
 * from the `dry_runs` table (FOR UPDATE SKIP LOCKED), so any replica may run any workspace's run
 * and a replica that dies leaves its run to another once it stops reporting. Workspaces take
 * turns (`workspaceRotation`): one workspace's queue never holds back another's.
 */
export function createDryRunWorker(deps: ApiDeps, settings: DryRunSettings): DryRunWorker {
  const controller = new AbortController();
  const running = new Set<Promise<void>>();
  const metric = metricFactory(deps.registry);
  const outcomes = metric.counter('canvas_api_dry_runs_total', 'Dry runs this process ended, by outcome', ['outcome']);
  zeroSeries(outcomes, 'outcome', ['done', 'failed', 'cancelled', 'released'] satisfies DryRunOutcome[]);
  const seconds = metric.histogram(
    'canvas_api_dry_run_seconds',
    'How long a dry run this process ran took, from claim to its end',
    [1, 5, 15, 30, 60, 120, 300, 600],
  );
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const wake = () => {
    wakeUp?.();
  };

  const staleBefore = (now: Date) => new Date(now.getTime() - settings.staleAfterMs);
  const rotation = workspaceRotation(() => workspacesWithClaimableDryRuns(deps.db, staleBefore(deps.now())));

  /** Claims and starts a run; true when there may be more to claim at once. */
  async function claimNext(): Promise<boolean> {
    const workspaces = await rotation.next(workspacesPerClaim);
    const now = deps.now();
    const run = await deps.db.transaction().execute(async (tx) => {
      for (const [i, workspaceId] of workspaces.entries()) {
        const claimed = await claimDryRun(tx, {
          workspaceId,
          lease: randomUUID(),
          now,
          staleBefore: staleBefore(now),
          maxAttempts,
        });
        if (claimed) {
          rotation.giveBack(workspaces.slice(i + 1));
          return claimed;
        }
      }
      return undefined;
    });
    // nothing here, but the round has workspaces left: look at them before sleeping
    if (!run) return rotation.waiting() > 0 && workspaces.length > 0;
    const started = performance.now();
    const job = runDryRun(deps, settings, run, controller.signal)
      .then((outcome) => {
        outcomes.inc({ outcome });
        seconds.observe((performance.now() - started) / 1000);
        if (outcome === 'failed') deps.logger.warn({ dryRunId: run.id }, 'dry run failed');
      })
      .catch((error: unknown) =>
        deps.logger.error({ error: loggableError(error), dryRunId: run.id }, 'dry run could not be ended'),
      )
      .finally(() => {
        running.delete(job);
        wake();
      });
    running.add(job);
    return true;
  }

  async function work(): Promise<void> {
    while (!controller.signal.aborted) {
      let again = false;
      try {
        if (running.size < settings.concurrency) again = await claimNext();
      } catch (error) {
        deps.logger.error({ error: loggableError(error) }, 'claiming a dry run failed; retrying');
      }
      if (again) continue;
      const woken = new Promise<void>((resolve) => (wakeUp = resolve));
      await Promise.race([woken, sleep(settings.pollIntervalMs, controller.signal)]);
      wakeUp = undefined;
    }
  }

  return {
    start() {
      loop ??= work();
    },
    wake,
    async stop() {
      controller.abort();
      wake();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}
