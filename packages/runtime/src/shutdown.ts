import type { Logger } from 'pino';

export type Closer = { name: string; close: () => Promise<void> };

/**
 * Runs the closers in order on SIGTERM or SIGINT (drain first, then connections), then
 * exits. A second signal (after the repeat window), or a drain longer than the grace period,
 * exits at once, so a clean stop always leaves the Kafka group instead of waiting to be timed out.
 */
export function handleShutdown(options: {
  logger: Logger;
  closers: readonly Closer[];
  graceMs?: number;
  /** A signal repeated within this window is the same request, not an order to exit now. */
  repeatWindowMs?: number;
  exit?: (code: number) => void;
}): { shutdown: (reason: string) => Promise<void> } {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const graceMs = options.graceMs ?? 30_000;
  const repeatWindowMs = options.repeatWindowMs ?? 2000;
  let stoppingSince: number | undefined;

  const shutdown = async (reason: string) => {
    if (stoppingSince !== undefined) {
      // a terminal's SIGINT and a supervisor's SIGTERM arrive together: only a later, deliberate one forces
      if (Date.now() - stoppingSince < repeatWindowMs) return;
      options.logger.warn({ reason }, 'second shutdown request; exiting now');
      exit(1);
      return;
    }
    stoppingSince = Date.now();
    options.logger.info({ reason }, 'shutting down');
    const timer = setTimeout(() => {
      options.logger.error({ graceMs }, 'graceful shutdown took too long; exiting');
      exit(1);
    }, graceMs);
    timer.unref();
    let code = 0;
    for (const closer of options.closers) {
      try {
        await closer.close();
      } catch (error) {
        code = 1;
        options.logger.error({ err: error, closer: closer.name }, 'error while closing');
      }
    }
    clearTimeout(timer);
    options.logger.info({ code }, 'stopped');
    exit(code);
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal));
  }
  return { shutdown };
}
