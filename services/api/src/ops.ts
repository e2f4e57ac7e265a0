import { startOpsServer, type OpsServer } from '@canvas/runtime';
import type { ApiDeps } from './deps.js';
import { apiReadiness, logCheckFailure } from './readiness.js';

/**
 * The API's operations listener: /healthz, /readyz and /metrics, apart from the public port,
 * since the metrics show every workspace's canvases.
 */
export function startApiOps(
  deps: Pick<ApiDeps, 'db' | 'registry' | 'logger'>,
  listen: { host: string; port: number },
): Promise<OpsServer> {
  return startOpsServer({
    ...listen,
    registry: deps.registry,
    readiness: apiReadiness(deps),
    onCheckFailure: logCheckFailure(deps.logger),
  });
}
