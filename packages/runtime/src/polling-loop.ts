import type { Logger } from './logger.js';
import { sleep } from './sleep.js';

export interface PollingLoopOptions {
  logger: Logger;
  pollIntervalMs: number;
  /** Counts the interval from each round's start (a fixed rate, as a batch window needs) instead of its end. */
  fromStart?: boolean;
}

/**
 * Runs `round` until stopped: again at once when it says more work is waiting, after
 * `pollIntervalMs` otherwise, and after a second when it fails (logged, never fatal).
 * With `fromStart`, a round that fails simply waits for the rest of its interval.
 */
export function pollingLoop(
  what: string,
  round: () => Promise<boolean>,
  deps: PollingLoopOptions,
): { start: () => void; stop: () => Promise<void> } {
  const controller = new AbortController();
  let running: Promise<void> | undefined;

  async function loop(): Promise<void> {
    while (!controller.signal.aborted) {
      const started = Date.now();
      let more = false;
      try {
        more = await round();
      } catch (error) {
        deps.logger.error({ err: error }, `${what} failed; retrying`);
        if (!deps.fromStart) await sleep(1000, controller.signal);
      }
      if (more) continue;
      const wait = deps.fromStart ? deps.pollIntervalMs - (Date.now() - started) : deps.pollIntervalMs;
      await sleep(Math.max(0, wait), controller.signal);
    }
  }

  return {
    start() {
      running ??= loop();
    },
    async stop() {
      controller.abort();
      await running;
    },
  };
}
