import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A named readiness check; it throws or returns false when the dependency is not usable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
}

/** A check's stable outcome: never an error's text, which can name hosts, users or values. */
export type CheckStatus = 'ok' | 'not_ready' | 'timeout' | 'failed';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, CheckStatus>;
}

/** Where a failed check's error goes (a log), since the report only says `failed`. */
export type CheckFailureSink = (name: string, error: unknown) => void;

const timedOut = new Error('timed out');

/** Runs every check with a timeout and reports each one by name. */
export async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = 2000,
  onFailure?: CheckFailureSink,
): Promise<HealthReport> {
  const entries = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, CheckStatus]> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const ok = await Promise.race([
          check(),
          new Promise<boolean>((_, reject) => {
            timer = setTimeout(() => reject(timedOut), timeoutMs);
          }),
        ]);
        return [name, ok ? 'ok' : 'not_ready'];
      } catch (error) {
        if (error === timedOut) return [name, 'timeout'];
        onFailure?.(name, error);
        return [name, 'failed'];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checksByName = Object.fromEntries(entries);
  return { status: entries.every(([, v]) => v === 'ok') ? 'ok' : 'unavailable', checks: checksByName };
}

export interface OpsServer {
  server: Server;
  url: string;
  close: () => Promise<void>;
}

/**
 * The operations endpoints of a worker process: /healthz (alive), /readyz (dependencies
 * usable) and /metrics (Prometheus text format).
 */
export async function startOpsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  readiness: readonly ReadinessCheck[];
  /** Where failed readiness checks are logged. */
  onCheckFailure?: CheckFailureSink;
  /** Extra endpoints answered with JSON, e.g. for debugging. */
  routes?: Record<string, () => Promise<unknown>>;
}): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const handle = async () => {
      if (path === '/healthz') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
      if (path === '/readyz') {
        const report = await runChecks(options.readiness, undefined, options.onCheckFailure);
        return send(report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report));
      }
      if (path === '/metrics') return send(200, options.registry.contentType, await options.registry.metrics());
      const route = path === undefined ? undefined : options.routes?.[path];
      if (route) return send(200, 'application/json', JSON.stringify(await route()));
      return send(404, 'application/json', JSON.stringify({ status: 404, title: 'Not Found' }));
    };
    // the error's text stays in the process: it can name hosts, users or values
    handle().catch(() =>
      send(500, 'application/json', JSON.stringify({ status: 500, title: 'Internal Server Error' })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
