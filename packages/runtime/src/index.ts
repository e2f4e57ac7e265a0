export {
  ConfigError,
  loadConfig,
  port,
  positiveInt,
  flag,
  duration,
  list,
  logLevel,
  parseDuration,
  logSettings,
  tokenKeySettings,
  refusePublishedTokenKey,
} from './config.js';
export { createLogger, wantsPrettyLogs, redactedPaths, type Logger, type LoggerOptions } from './logger.js';
export {
  createMetricsRegistry,
  metricFactory,
  registerReadGauge,
  zeroSeries,
  Registry,
  Counter,
  Gauge,
  Histogram,
  type MetricFactory,
} from './metrics.js';
export {
  runChecks,
  startOpsServer,
  type CheckFailureSink,
  type CheckStatus,
  type ReadinessCheck,
  type HealthReport,
  type OpsServer,
} from './health.js';
export { handleShutdown, type Closer } from './shutdown.js';
export { CanvasError, errorCode, hasCode } from './errors.js';
export { sleep } from './sleep.js';
export { pollingLoop, type PollingLoopOptions } from './polling-loop.js';
export { seededRandom } from './seeded-random.js';
export { logProcessWarnings } from './process-warnings.js';
export {
  createServiceLogger,
  runService,
  type ServiceLogSettings,
  type ServiceOpsSettings,
  type StartedService,
} from './service.js';
export { createTokenCipher, type TokenCipher, type TokenRow } from './token-cipher.js';
