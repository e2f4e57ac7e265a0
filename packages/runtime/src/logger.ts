import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line: e-mails, phone numbers, tokens and
 * authorization headers, wherever the project places them.
 */
export const redactedPaths: readonly string[] = [
  'email',
  'phone',
  'accessToken',
  'access_token',
  'token',
  'apiKey',
  'password',
  'secret',
  '*.email',
  '*.phone',
  '*.accessToken',
  '*.access_token',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.*.email',
  '*.*.phone',
  '*.*.accessToken',
  '*.*.access_token',
  '*.*.token',
  'traits.*',
  '*.traits.*',
  'context.traits.*',
  '*.context.traits.*',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'input_token',
  '*.input_token',
  'fb_exchange_token',
];

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Human-readable output for a terminal; JSON lines otherwise. */
  pretty?: boolean;
  /** Extra stream, used by tests to capture lines. */
  destination?: DestinationStream;
}

/** The one root logger of a process; children add trusted bindings only. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, ignore: 'pid,hostname,service', messageKey: 'msg' },
      },
    });
  }
  return pino(base);
}

/** Chooses pretty output only for an interactive terminal unless LOG_FORMAT says otherwise. */
export function wantsPrettyLogs(format: string | undefined, isTty: boolean): boolean {
  if (format === 'pretty') return true;
  if (format === 'json') return false;
  return isTty;
}
