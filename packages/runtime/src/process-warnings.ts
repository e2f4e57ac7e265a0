import type { Logger } from 'pino';
import { errorCode } from './errors.js';

/**
 * Node's process warnings as log lines instead of raw stderr text. kafkajs 2.2.4 schedules a
 * negative timeout on every connect under Node ≥ 24 (tulios/kafkajs#1751); that one is known
 * and harmless, so it is dropped.
 */
export function logProcessWarnings(logger: Logger, ignore: readonly string[] = ['TimeoutNegativeWarning']): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (ignore.includes(warning.name)) return;
    logger.warn({ warning: warning.name, code: errorCode(warning) }, warning.message);
  });
}
