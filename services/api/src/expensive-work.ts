import { apiError } from './problem.js';

/** How many expensive operations (estimates, bulk erasures) may run at once: per workspace, and in all. */
export interface ExpensiveWorkLimits {
  perWorkspace: number;
  /** Kept below the database pool's size, so cheap requests always find a connection. */
  total: number;
  /** What a refused caller is told to wait, in seconds. */
  retryAfterSeconds: number;
}

export const defaultExpensiveWorkLimits: ExpensiveWorkLimits = { perWorkspace: 2, total: 3, retryAfterSeconds: 5 };

export type ExpensiveWork = <T>(workspaceId: string, work: () => Promise<T>) => Promise<T>;

/**
 * Admits an expensive operation or refuses it at once (no queue: a queued request would still
 * hold its client and its socket): 429 WORKSPACE_BUSY when the workspace has its share running,
 * 503 EXPENSIVE_WORK_BUSY when all workspaces together have.
 */
export function createExpensiveWork(limits: ExpensiveWorkLimits): ExpensiveWork {
  const running = new Map<string, number>();
  let total = 0;
  const retryAfter = { 'retry-after': String(limits.retryAfterSeconds) };
  return async (workspaceId, work) => {
    const mine = running.get(workspaceId) ?? 0;
    if (mine >= limits.perWorkspace)
      throw apiError(
        'WORKSPACE_BUSY',
        `this workspace already runs ${mine} expensive operation(s), the most it may at once; try again shortly`,
        undefined,
        retryAfter,
      );
    if (total >= limits.total)
      throw apiError('EXPENSIVE_WORK_BUSY', 'the API is running its most expensive operations at once', undefined, {
        ...retryAfter,
      });
    running.set(workspaceId, mine + 1);
    total += 1;
    try {
      return await work();
    } finally {
      total -= 1;
      const left = (running.get(workspaceId) ?? 1) - 1;
      if (left > 0) running.set(workspaceId, left);
      else running.delete(workspaceId);
    }
  };
}
