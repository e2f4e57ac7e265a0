import { logProcessWarnings } from './process-warnings.js';
import { createLogger, wantsPrettyLogs, type Logger } from './logger.js';
import { createMetricsRegistry, type Registry } from './metrics.js';
import { startOpsServer, type ReadinessCheck } from './health.js';
import { handleShutdown, type Closer } from './shutdown.js';

/** The settings every service reads for its logs (`logSettings`). */
export interface ServiceLogSettings {
  LOG_LEVEL: string;
  LOG_FORMAT?: string | undefined;
}

/** Where a worker's ops listener (/healthz, /readyz, /metrics) binds. */
export interface ServiceOpsSettings extends ServiceLogSettings {
  OPS_HOST: string;
  OPS_PORT: number;
}

/** A service's root logger, pretty only on a terminal, with Node's process warnings logged through it. */
export function createServiceLogger(name: string, config: ServiceLogSettings): Logger {
  const logger = createLogger({
    name,
    level: config.LOG_LEVEL,
    pretty: wantsPrettyLogs(config.LOG_FORMAT, process.stdout.isTTY),
  });
  logProcessWarnings(logger);
  return logger;
}

/** What a worker's `start` hands back to {@link runService}. */
export interface StartedService {
  readiness: readonly ReadinessCheck[];
  /** Extra JSON endpoints on the ops listener. */
  routes?: Record<string, () => Promise<unknown>>;
  /** Closed first on SIGTERM: stop taking work and drain it. */
  drain: readonly Closer[];
  /** Closed after the ops listener: databases and other clients. */
  disconnect: readonly Closer[];
  /** Runs the work once the ops listener and signal handling are in place. */
  run?: () => unknown;
}

/**
 * The shell of a worker process: logger, metrics registry, ops listener and a drain on SIGTERM
 * around whatever `start` builds.
 *
 * @example
 * await runService({ name: 'journey-runner', config, start: async ({ logger, registry }) => ({ … }) });
 */
export async function runService(options: {
  name: string;
  config: ServiceOpsSettings;
  start: (shell: { logger: Logger; registry: Registry }) => Promise<StartedService>;
}): Promise<void> {
  const { name, config } = options;
  const logger = createServiceLogger(name, config);
  const registry = createMetricsRegistry(name);
  const service = await options.start({ logger, registry });
  const ops = await startOpsServer({
    host: config.OPS_HOST,
    port: config.OPS_PORT,
    registry,
    readiness: service.readiness,
    ...(service.routes ? { routes: service.routes } : {}),
  });
  logger.info({ url: ops.url }, 'health and metrics endpoints listening');
  handleShutdown({ logger, closers: [...service.drain, { name: 'ops', close: ops.close }, ...service.disconnect] });
  await service.run?.();
}
