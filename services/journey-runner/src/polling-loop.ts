import { sleep, type Logger } from '@canvas/runtime';

/**
 * Runs `round` until stopped: again at once when it says more work is waiting, after
 * `pollIntervalMs` otherwise, and after a second when it fails (logged, never fatal).
 */
export function pollingLoop(
  what: string,
  round: () => Promise<boolean>,
  deps: { logger: Logger; pollIntervalMs: number },
): { start: () => void; stop: () => Promise<void> } {
  const controller = new AbortController();
  let running: Promise<void> | undefined;

  async function loop(): Promise<void> {
    while (!controller.signal.aborted) {
      let more = false;
      try {
        more = await round();
      } catch (error) {
        deps.logger.error({ err: error }, `${what} failed; retrying`);
        await sleep(1000, controller.signal);
      }
      if (!more) await sleep(deps.pollIntervalMs, controller.signal);
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
