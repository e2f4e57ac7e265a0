import { metricFactory, zeroSeries, type Registry } from '@canvas/runtime';

/** What SREs watch of audience resyncs (Meta's replace sessions). */
export function resyncMetrics(registry: Registry) {
  const m = metricFactory(registry);
  const metrics = {
    resyncs: m.counter(
      'canvas_sync_resyncs_total',
      'Audience resyncs that ended, by outcome: done, unconfirmed (Meta never reported the session finished), failed',
      ['outcome'],
    ),
    batches: m.counter('canvas_sync_resync_batches_total', 'Replace-session batches Meta acknowledged'),
    sessions: m.counter(
      'canvas_sync_resync_sessions_total',
      'Replace sessions started: the first of a resync, or a new one after Meta closed or refused the last',
      ['reason'],
    ),
    users: m.counter(
      'canvas_sync_resync_users_total',
      'Users completed resyncs added to or removed from their audiences, against what had been synced',
      ['change'],
    ),
  };
  zeroSeries(metrics.resyncs, 'outcome', ['done', 'unconfirmed', 'failed']);
  zeroSeries(metrics.sessions, 'reason', ['first', 'restarted']);
  zeroSeries(metrics.users, 'change', ['added', 'removed']);
  return metrics;
}

export type ResyncMetrics = ReturnType<typeof resyncMetrics>;
