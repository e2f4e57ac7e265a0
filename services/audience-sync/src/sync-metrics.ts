import { errorClasses } from '@canvas/meta-graph';
import { metricFactory, zeroSeries, type Registry } from '@canvas/runtime';

/** The outcomes `canvas_sync_lookalikes_total` counts. */
export const lookalikeOutcomes = ['created', 'adopted', 'waiting', 'refused', 'failed'] as const;

/** What SREs watch on the audience sync. */
export function syncMetrics(registry: Registry) {
  const m = metricFactory(registry);
  const metrics = {
    requests: m.counter('canvas_sync_requests_total', 'Graph API upload requests by outcome and Meta error code', [
      'outcome',
      'code',
    ]),
    users: m.counter('canvas_sync_users_total', 'Users by the status a request moved them to', ['status']),
    invalidEntries: m.counter(
      'canvas_sync_invalid_entries_total',
      'Rows of accepted requests that Meta reported invalid (num_invalid_entries), per Meta ad account',
      ['ad_account'],
    ),
    batchUsers: m.histogram(
      'canvas_sync_batch_users',
      'Users per upload request',
      [1, 10, 100, 500, 1000, 2500, 5000, 7500, 9500, 10_000],
    ),
    pending: m.gauge('canvas_sync_pending_users', 'Users waiting to be synced, per Meta ad account', ['ad_account']),
    held: m.gauge(
      'canvas_sync_held_users',
      'Pending users waiting on a disconnected connection or unaccepted terms (their ' +
        'retry window is paused), per Meta ad account',
      ['ad_account'],
    ),
    oldestPending: m.gauge(
      'canvas_sync_oldest_pending_seconds',
      'Age of the oldest pending user, per Meta ad account',
      ['ad_account'],
    ),
    quotaUsed: m.gauge('canvas_sync_quota_used', 'Calls in the current rolling quota window, per Meta ad account', [
      'ad_account',
    ]),
    quotaAllowed: m.gauge('canvas_sync_quota_allowed', 'Calls allowed per rolling quota window, per Meta ad account', [
      'ad_account',
    ]),
    throttledSeconds: m.counter(
      'canvas_sync_throttled_seconds_total',
      'Time an account spent paused by Meta throttles',
      ['ad_account'],
    ),
    usage: m.gauge('canvas_sync_meta_usage_percent', "Meta's own usage report for the account", ['ad_account']),
    owned: m.gauge('canvas_sync_owned_accounts', 'Meta ad accounts this replica owns'),
    tokenChecks: m.counter(
      'canvas_sync_token_checks_total',
      "Checks of connected tokens with Meta's debug_token, by outcome: valid, invalid " +
        '(the account is disconnected), failed',
      ['outcome'],
    ),
    lookalikes: m.counter(
      'canvas_sync_lookalikes_total',
      'Lookalike audiences by what a look at them did: created, adopted (found at Meta after a crash or a ' +
        'duplicate refusal), waiting (source below the minimum), refused by Meta, failed (to be tried again)',
      ['outcome'],
    ),
    erasuresCompleted: m.counter(
      'canvas_sync_erasures_completed_total',
      'Erasures completed: every removal from Meta audiences final and the hand-offs deleted',
    ),
  };
  zeroSeries(metrics.users, 'status', ['synced', 'not_synced', 'deferred', 'errored']);
  zeroSeries(metrics.tokenChecks, 'outcome', ['valid', 'invalid', 'failed']);
  zeroSeries(metrics.lookalikes, 'outcome', lookalikeOutcomes);
  zeroSeries(metrics.requests, 'outcome', ['success', ...errorClasses], { code: 'none' });
  return metrics;
}

export type SyncMetrics = ReturnType<typeof syncMetrics>;
