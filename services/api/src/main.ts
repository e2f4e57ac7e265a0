import { createServiceDatabase } from '@canvas/db';
import { createGraphClient, pacedAdSetCalls } from '@canvas/meta-graph';
import {
  createServiceLogger,
  createMetricsRegistry,
  createTokenCipher,
  handleShutdown,
  loadConfig,
  refusePublishedTokenKey,
} from '@canvas/runtime';
import { buildApi } from './app.js';
import { startApiOps } from './ops.js';
import { apiConfigSchema } from './config.js';
import type { ApiDeps } from './deps.js';
import { loginTokenPurgeIntervalMs, purgeLoginTokens } from './facebook-login.service.js';
import { resealUnboundTokens } from './token-reseal.js';

const config = loadConfig(apiConfigSchema, process.env);
refusePublishedTokenKey(config);
const logger = createServiceLogger('api', config);
const db = createServiceDatabase(config, 'canvas-api');
const registry = createMetricsRegistry('api');
const graph = createGraphClient({
  baseUrl: config.META_GRAPH_URL,
  version: config.META_GRAPH_VERSION,
  appId: config.META_APP_ID,
  appSecret: config.META_APP_SECRET,
});
const cipher = createTokenCipher(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_PREVIOUS_KEYS);
// tokens written before they were bound to their row: bound now, once, before anything reads them
const resealed = await resealUnboundTokens(db, cipher);
if (resealed > 0) logger.info({ resealed }, 'access tokens sealed again, bound to their row');
const deps = {
  db,
  // ad set calls paced by their own (ads_management) quota
  directory: { ...graph, ...pacedAdSetCalls(graph) },
  cipher,
  logger,
  registry,
  now: () => new Date(),
  graphVersion: config.META_GRAPH_VERSION,
  bodyLimitBytes: config.API_BODY_LIMIT_BYTES,
  metricsMaxAgeMs: config.METRICS_MAX_AGE,
  estimateSampleSize: config.SEGMENT_ESTIMATE_SAMPLE,
  estimateTimeoutMs: config.ESTIMATE_TIMEOUT,
  expensiveWork: { perWorkspace: config.EXPENSIVE_PER_WORKSPACE, total: config.EXPENSIVE_TOTAL, retryAfterSeconds: 5 },
  segmentBudget: { conditions: config.SEGMENT_MAX_CONDITIONS, values: config.SEGMENT_MAX_VALUES },
  facebookLogin:
    config.META_APP_ID && config.META_APP_SECRET && config.FACEBOOK_LOGIN_REDIRECT_URI
      ? {
          appId: config.META_APP_ID,
          appSecret: config.META_APP_SECRET,
          dialogUrl: `${config.FACEBOOK_LOGIN_DIALOG_URL.replace(/\/$/, '')}/${config.META_GRAPH_VERSION}/dialog/oauth`,
          redirectUri: config.FACEBOOK_LOGIN_REDIRECT_URI,
          returnUrl: config.FACEBOOK_LOGIN_RETURN_URL,
        }
      : undefined,
  erasure: { retryWindowMs: config.AUDIENCE_RETRY_WINDOW, suppressionMs: config.ERASURE_SUPPRESSION },
  redrive: { retryWindowMs: config.AUDIENCE_RETRY_WINDOW },
  dryRun: {
    concurrency: config.DRY_RUN_CONCURRENCY,
    perWorkspace: config.DRY_RUN_PER_WORKSPACE,
    dailyHistoryRows: config.DRY_RUN_DAILY_HISTORY_ROWS,
    pageUsers: config.DRY_RUN_PAGE_USERS,
    rangeUsers: config.DRY_RUN_RANGE_USERS,
    maxWindowDays: config.DRY_RUN_MAX_WINDOW / 86_400_000,
  },
} satisfies ApiDeps;
const app = await buildApi(deps);
// an authorized login nobody connects loses its token at expiry even if no login call comes
const purge = setInterval(() => {
  purgeLoginTokens(deps).catch((error: unknown) => logger.error({ err: error }, 'Facebook Login token purge failed'));
}, loginTokenPurgeIntervalMs);
const address = await app.listen({ host: config.API_HOST, port: config.API_PORT });
logger.info({ url: address, docs: `${address}/docs` }, 'designer API listening');
const ops = await startApiOps({ db, registry, logger }, { host: config.OPS_HOST, port: config.OPS_PORT });
logger.info({ url: ops.url }, 'health and metrics endpoints listening');
handleShutdown({
  logger,
  closers: [
    { name: 'login purge', close: async () => clearInterval(purge) },
    { name: 'http', close: () => app.close() },
    { name: 'ops', close: ops.close },
    { name: 'graph', close: () => graph.close() },
    { name: 'postgres', close: () => db.destroy() },
  ],
});
