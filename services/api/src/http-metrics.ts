import type { FastifyInstance } from 'fastify';
import { liveCanvasIds, readAllCounters, type Db } from '@canvas/db';
import { Gauge, metricFactory, type Registry } from '@canvas/runtime';

/** Request counts and latency per route, and the canvas counters as Prometheus gauges. */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry, db: Db): void {
  const metric = metricFactory(registry);
  const requests = metric.counter('http_requests_total', 'HTTP requests by route and status', [
    'method',
    'route',
    'status',
  ]);
  const duration = metric.histogram(
    'http_request_duration_seconds',
    'HTTP request latency',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ['method', 'route'],
  );
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  // the same numbers as GET /v1/canvases/{id}/analytics, read from the same counters at scrape time
  new Gauge({
    name: 'canvas_step_users',
    help: 'Users per canvas, version, step and metric (running and paused canvases)',
    labelNames: ['canvas_id', 'version', 'step_id', 'metric'],
    registers: [registry],
    async collect() {
      const values = await readAllCounters(db, await liveCanvasIds(db));
      this.reset();
      for (const v of values)
        this.set({ canvas_id: v.canvasId, version: String(v.version), step_id: v.stepId, metric: v.metric }, v.value);
    },
  });
}
