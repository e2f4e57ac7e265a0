import { createDatabase } from '@canvas/db';
import {
  createServiceLogger,
  createMetricsRegistry,
  createTokenCipher,
  handleShutdown,
  loadConfig,
  refusePublishedTokenKey,
  startOpsServer,
} from '@canvas/runtime';
import { syncConfigSchema } from './config.js';
import { createAudienceSync } from './sync.js';

const config = loadConfig(syncConfigSchema, process.env);
refusePublishedTokenKey(config);
const logger = createServiceLogger('audience-sync', config);
const db = createDatabase({
  url: config.DATABASE_URL,
  maxConnections: config.DATABASE_POOL_SIZE,
  applicationName: 'canvas-audience-sync',
});
const registry = createMetricsRegistry('audience-sync');
const sync = createAudienceSync({
  config,
  db,
  logger,
  registry,
  cipher: createTokenCipher(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_PREVIOUS_KEYS),
});
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  registry,
  readiness: sync.readiness,
  routes: { '/owned': async () => ({ metaAccountIds: sync.owned() }) },
});
logger.info({ url: ops.url }, 'health and metrics endpoints listening');
handleShutdown({
  logger,
  closers: [
    { name: 'sync', close: sync.stop },
    { name: 'ops', close: ops.close },
    { name: 'postgres', close: () => db.destroy() },
  ],
});
sync.start();
