import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { defaultGraphVersion, graphVersionGauge } from '@canvas/meta-graph';
import { registerReadGauge, runChecks } from '@canvas/runtime';
import { authenticate } from './auth.js';
import { refuseDeepBody } from './body-depth.js';
import { registerCanvasGauge } from './canvas-metrics.js';
import { registerConsole } from './console.js';
import type { ApiDeps } from './deps.js';
import { defaultDryRunSettings } from './dry-run-settings.js';
import { createDryRunWorker } from './dry-run-worker.js';
import { createExpensiveWork, defaultExpensiveWorkLimits } from './expensive-work.js';
import { registerHttpMetrics } from './http-metrics.js';
import { apiReadiness, logCheckFailure } from './readiness.js';
import { refuseUnstorableText } from './storable-input.js';
import { apiError, problemErrorHandler, sendProblem } from './problem.js';
import { adAccountRoutes } from './routes/ad-account.routes.js';
import { adSetRoutes } from './routes/ad-set.routes.js';
import { createdAudienceRoutes } from './routes/created-audience.routes.js';
import { facebookLoginCallback, facebookLoginRoutes } from './routes/facebook-login.routes.js';
import { analyticsRoutes } from './routes/analytics.routes.js';
import { analyticsSeriesRoutes } from './routes/analytics-series.routes.js';
import { erasureRoutes } from './routes/erasure.routes.js';
import { redriveRoutes } from './routes/redrive.routes.js';
import { canvasRoutes } from './routes/canvas.routes.js';
import { dryRunRoutes } from './routes/dry-run.routes.js';
import { quotaPlanRoutes } from './routes/quota-plan.routes.js';
import { segmentRoutes } from './routes/segment.routes.js';
import { workspaceRoutes } from './routes/workspace.routes.js';

/** The designer API, built from its dependencies without listening (tests use `app.inject`). */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger.child({ component: 'http' });
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes ?? 1_048_576,
    ajv: { customOptions: { coerceTypes: false } },
    // errors the router raises before any route (a malformed URL) are problem+json too
    frameworkErrors: (error, _request, reply) => {
      void sendProblem(
        reply,
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? apiError('URI_TOO_LONG', 'a path parameter is longer than the API accepts')
          : apiError('BAD_REQUEST', 'the URL is malformed'),
      );
    },
  }).withTypeProvider<ZodTypeProvider>();
  // JSON only: anything else is answered 415
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemErrorHandler(deps.logger));
  // depth first: the text check and the validators walk bodies recursively
  app.addHook('preValidation', refuseDeepBody);
  app.addHook('preValidation', refuseUnstorableText);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, apiError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Canvas journey engine — designer API',
        version: '1.0.0',
        description:
          'Build canvases (journeys), connect Meta ad accounts, launch, pause, edit, and read per-step analytics. ' +
          'Errors are application/problem+json with a stable `code`.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of the workspace' } },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    // recursive schemas (segment conditions) become components the paths refer to
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const report = await runChecks(apiReadiness(deps), undefined, logCheckFailure(deps.logger));
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
  // /metrics is served by the ops listener (startApiOps): it shows every workspace's canvases
  registerHttpMetrics(app, deps.registry);
  registerCanvasGauge(deps.registry, deps.db, { maxAgeMs: deps.metricsMaxAgeMs ?? 15_000, now: deps.now });
  const versionGauge = graphVersionGauge(deps.graphVersion ?? defaultGraphVersion, deps.now);
  registerReadGauge(deps.registry, versionGauge.metric, versionGauge.read);
  await registerConsole(app);

  // one limiter for every expensive operation, so together they never take the whole pool
  const expensive = createExpensiveWork(deps.expensiveWork ?? defaultExpensiveWorkLimits);
  // dry runs are background work of this process, a small bounded worker (decision 38)
  const dryRunSettings = { ...defaultDryRunSettings, ...deps.dryRun };
  const dryRuns = dryRunSettings.concurrency > 0 ? createDryRunWorker(deps, dryRunSettings) : undefined;
  app.addHook('onClose', async () => dryRuns?.stop());
  await app.register(facebookLoginCallback(deps));
  await app.register(async (v1) => {
    v1.addHook('onRequest', authenticate(deps.db));
    await v1.register(workspaceRoutes(deps));
    await v1.register(adAccountRoutes(deps));
    await v1.register(adSetRoutes(deps));
    await v1.register(createdAudienceRoutes(deps));
    await v1.register(facebookLoginRoutes(deps));
    await v1.register(canvasRoutes(deps));
    await v1.register(segmentRoutes(deps, expensive));
    await v1.register(analyticsRoutes(deps));
    await v1.register(analyticsSeriesRoutes(deps));
    await v1.register(erasureRoutes(deps, expensive));
    await v1.register(redriveRoutes(deps));
    await v1.register(dryRunRoutes(deps, dryRunSettings, () => dryRuns?.wake()));
    await v1.register(quotaPlanRoutes(deps));
  });
  dryRuns?.start();
  return app;
}
