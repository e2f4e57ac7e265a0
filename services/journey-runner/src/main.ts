import { createDatabase } from '@canvas/db';
import {
  createLogger,
  logProcessWarnings,
  createMetricsRegistry,
  handleShutdown,
  loadConfig,
  startOpsServer,
  wantsPrettyLogs,
} from '@canvas/runtime';
import { runnerConfigSchema } from './config.js';
import { createRunner } from './runner.js';

const config = loadConfig(runnerConfigSchema, process.env);
const logger = createLogger({
  name: 'journey-runner',
  level: config.LOG_LEVEL,
  pretty: wantsPrettyLogs(config.LOG_FORMAT, process.stdout.isTTY),
});
logProcessWarnings(logger);
const db = createDatabase({
  url: config.DATABASE_URL,
  maxConnections: config.DATABASE_POOL_SIZE,
  applicationName: 'canvas-journey-runner',
});
const registry = createMetricsRegistry('journey-runner');
const runner = await createRunner({
  config,
  db,
  logger,
  registry,
  onFatal: () => {
    logger.fatal('the Kafka consumer stopped for good; exiting so the supervisor restarts this runner');
    process.exit(1);
  },
});
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  registry,
  readiness: runner.readiness,
});
logger.info({ url: ops.url }, 'health and metrics endpoints listening');
handleShutdown({
  logger,
  closers: [
    { name: 'runner', close: runner.stop },
    { name: 'ops', close: ops.close },
    { name: 'postgres', close: () => db.destroy() },
  ],
});
await runner.start();
