import type { FastifyInstance } from 'fastify';
import { metricFactory, type Registry } from '@canvas/runtime';

/** Request counts and latency per route. */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
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
}
