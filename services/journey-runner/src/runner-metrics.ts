import { deadLetterReasons } from '@canvas/canvas';
import { metricFactory, zeroSeries, type Registry } from '@canvas/runtime';

/** What SREs watch on a journey runner. */
export function runnerMetrics(registry: Registry) {
  const m = metricFactory(registry);
  const metrics = {
    events: m.counter(
      'canvas_runner_events_total',
      'Input messages by outcome: applied, duplicate, suppressed (erased user), dead_lettered, replay_skipped',
      ['outcome'],
    ),
    deadLetters: m.counter('canvas_runner_dead_letters_total', 'Messages sent to the dead-letter topic, by reason', [
      'reason',
    ]),
    isolated: m.counter(
      'canvas_runner_isolated_total',
      'Messages that failed while being applied and were dead-lettered alone (reason unprocessable)',
    ),
    carefulBatches: m.counter(
      'canvas_runner_careful_batches_total',
      'Batches applied one message at a time because a runner had died on the partition before',
    ),
    quarantined: m.counter(
      'canvas_runner_quarantined_total',
      'Messages a runner kept dying on, dead-lettered with reason quarantined instead of crash-looping',
    ),
    batchDuration: m.histogram(
      'canvas_runner_batch_duration_seconds',
      'Time to apply one transaction of messages',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
    batchSize: m.histogram(
      'canvas_runner_batch_messages',
      'Messages per transaction',
      [1, 10, 50, 100, 250, 500, 1000, 2000],
    ),
    lag: m.gauge('canvas_runner_consumer_lag', 'Messages behind the end of each assigned partition', [
      'topic',
      'partition',
    ]),
    groupMember: m.gauge(
      'canvas_runner_group_member',
      '1 while this runner holds a place in the consumer group, 0 while joining or rebalancing',
    ),
    assignedPartitions: m.gauge(
      'canvas_runner_assigned_partitions',
      'Partitions of the events topic assigned to this runner',
    ),
    entered: m.counter('canvas_runner_journeys_entered_total', 'Users who entered a canvas'),
    capped: m.counter(
      'canvas_runner_entries_capped_total',
      'Entries refused because the canvas reached its target cap',
    ),
    handoffs: m.counter('canvas_runner_audience_handoffs_total', 'Users handed to the audience sync, by status', [
      'status',
    ]),
    timersFired: m.counter('canvas_runner_timers_fired_total', 'Delays that came due and were applied'),
    timersDue: m.gauge('canvas_runner_timers_due', 'Delays due now and not yet fired (running canvases)'),
    timerOverdue: m.gauge('canvas_runner_timer_overdue_seconds', 'How late the oldest due delay is'),
    historySkipped: m.counter(
      'canvas_runner_history_skipped_total',
      'Applied track events not recorded in the behaviour history: stamped outside its retention or days ahead',
    ),
    historyPartitions: m.counter('canvas_runner_history_partitions_total', 'History partitions created and dropped', [
      'change',
    ]),
    unreadableDefinitions: m.counter(
      'canvas_runner_unreadable_definitions_total',
      'Stored canvas versions this runner could not read and left out',
    ),
    canvases: m.gauge('canvas_runner_live_canvases', 'Running and paused canvases in the index'),
    segmentRuns: m.counter('canvas_runner_segment_runs_total', 'Scheduled segment runs, by how they ended', [
      'outcome',
    ]),
    segmentRunEvaluated: m.counter(
      'canvas_runner_segment_run_candidates_total',
      'Candidates a segment run evaluated, by whether they were members',
      ['member'],
    ),
    segmentRunRemoved: m.counter(
      'canvas_runner_segment_run_removed_total',
      'Users a run took out of an audience that follows its segment because they stopped qualifying',
    ),
    dedupPruned: m.counter('canvas_runner_dedup_pruned_total', 'Remembered message ids forgotten after the retention'),
  };
  zeroSeries(metrics.events, 'outcome', ['applied', 'duplicate', 'suppressed', 'dead_lettered', 'replay_skipped']);
  zeroSeries(metrics.deadLetters, 'reason', deadLetterReasons);
  zeroSeries(metrics.handoffs, 'status', ['pending', 'not_synced', 'errored']);
  zeroSeries(metrics.historyPartitions, 'change', ['created', 'dropped']);
  zeroSeries(metrics.segmentRuns, 'outcome', ['finished', 'canceled']);
  zeroSeries(metrics.segmentRunEvaluated, 'member', ['true', 'false']);
  return metrics;
}

export type RunnerMetrics = ReturnType<typeof runnerMetrics>;
