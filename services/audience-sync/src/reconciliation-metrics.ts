import { metricFactory, zeroSeries, type Registry } from '@canvas/runtime';

/** What the reconciliation watch reports (decision 37). */
export function reconciliationMetrics(registry: Registry) {
  const m = metricFactory(registry);
  const metrics = {
    drift: m.gauge(
      'canvas_step_drift_users',
      'Users by which a Facebook step does not add up, by kind: counters (entered = synced + not synced + ' +
        "pending + errored), removals (likewise), audience_size (Meta's approximate count against synced " +
        'minus removed); a series exists only while a step drifts',
      ['canvas_id', 'step_id', 'kind'],
    ),
    checks: m.counter(
      'canvas_reconciliation_checks_total',
      'Rounds of the reconciliation watch over an owned Meta ad account, by outcome',
      ['outcome'],
    ),
    audienceReads: m.counter(
      'canvas_reconciliation_audience_reads_total',
      "Reads of an audience's approximate size from Meta, by outcome",
      ['outcome'],
    ),
    driftingSteps: m.gauge(
      'canvas_reconciliation_drifting_steps',
      'Facebook steps of the Meta ad account that do not add up, by kind',
      ['ad_account', 'kind'],
    ),
  };
  zeroSeries(metrics.checks, 'outcome', ['ok', 'failed']);
  zeroSeries(metrics.audienceReads, 'outcome', ['ok', 'failed', 'skipped']);
  return metrics;
}

export type ReconciliationMetrics = ReturnType<typeof reconciliationMetrics>;
