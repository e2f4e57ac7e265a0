import { audienceStatuses, compositeKey, removalMetrics, statusMetric, type StepMetric } from '@canvas/canvas';
import type { AudienceSizeCheck, ExpectedMembers, StepDrift, StepVersionTotals } from '@canvas/db';

export type FoundDrift = Omit<StepDrift, 'since' | 'checkedAt'>;

const sum = (totals: StepVersionTotals['totals'], metrics: readonly StepMetric[]) =>
  metrics.reduce((total, metric) => total + (totals[metric] ?? 0), 0);

const statusCounters = audienceStatuses.map((s) => statusMetric(s, 'step'));
const removalStatusCounters = removalMetrics.filter((m) => m !== 'removed');

/** The two invariants of a Facebook step version: what should add up, and to what. */
const invariants = [
  { kind: 'counters', whole: 'entered', parts: statusCounters },
  { kind: 'removals', whole: 'removed', parts: removalStatusCounters },
] as const;

/** Step versions grouped by canvas step, in the order given. */
function byStep(steps: readonly StepVersionTotals[]): StepVersionTotals[][] {
  const groups = new Map<string, StepVersionTotals[]>();
  for (const step of steps) {
    const key = compositeKey(step.canvasId, step.stepId);
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }
  return [...groups.values()];
}

/**
 * Each Facebook step whose counters do not add up, per invariant: entered = synced + not synced
 * + pending + errored, removed = its four statuses likewise. Each version must balance on its own
 * (a surplus in one cannot hide a shortfall in another): the gap is the sum of the versions' gaps.
 */
export function counterDrifts(steps: readonly StepVersionTotals[], metaAccountId: string): FoundDrift[] {
  const found: FoundDrift[] = [];
  for (const versions of byStep(steps)) {
    const first = versions[0]!;
    for (const { kind, whole, parts } of invariants) {
      const compared = versions.map((v) => ({
        version: v.version,
        expected: v.totals[whole] ?? 0,
        actual: sum(v.totals, parts),
      }));
      const gap = compared.reduce((total, v) => total + Math.abs(v.expected - v.actual), 0);
      if (gap === 0) continue;
      found.push({
        canvasId: first.canvasId,
        stepId: first.stepId,
        kind,
        workspaceId: first.workspaceId,
        metaAccountId,
        expected: compared.reduce((total, v) => total + v.expected, 0),
        actual: compared.reduce((total, v) => total + v.actual, 0),
        gap,
        detail: {
          compares: `${whole} = ${parts.join(' + ')}`,
          versions: compared.filter((v) => v.expected !== v.actual),
        },
      });
    }
  }
  return found;
}

/**
 * How many members an audience may have by the counters, over every step version that sends to it
 * (a remove step's users are removals): at most every add that is synced or pending (a pending
 * add may already be at Meta, its success not yet recorded) less the synced removals; at least the
 * synced adds less the synced and pending removals. Re-entries and steps sharing the audience count
 * a user again, so both overstate the distinct people. Undefined when a step's action is unknown.
 */
export function expectedMembers(
  steps: readonly StepVersionTotals[],
  actionOf: (step: StepVersionTotals) => 'add' | 'remove' | undefined,
): ExpectedMembers | undefined {
  let most = 0;
  let least = 0;
  for (const step of steps) {
    const action = actionOf(step);
    if (action === undefined) return undefined;
    const {
      synced = 0,
      pending = 0,
      removed_synced: removedSynced = 0,
      removed_pending: removedPending = 0,
    } = step.totals;
    if (action === 'add') {
      most += synced + pending - removedSynced;
      least += synced - removedSynced - removedPending;
    } else {
      most -= synced;
      least -= synced + pending;
    }
  }
  return { most: Math.max(0, most), least: Math.max(0, least) };
}

export interface SizeVerdict {
  direction: 'over' | 'under';
  /** The bound of Meta's count that is out of line, and what it was held against. */
  actual: number;
  expected: number;
  gap: number;
}

/**
 * Meta's approximate size of an audience against the counters, allowing for Meta's matching and
 * for the time it takes to apply an upload: from the second read on, each side is held against
 * the more lenient of the counters now and at the read before. Over: Meta's lower bound above
 * every add that may have reached it (only for audiences this product created: an existing one
 * had members of its own). Under: Meta's upper bound below `minMatchRate` of the adds that surely
 * reached it (Meta counts matched people only; 0 turns this off). Bounds Meta did not give (or
 * gave as -1) are not judged.
 */
export function judgeAudienceSize(
  check: Pick<AudienceSizeCheck, 'lowerBound' | 'upperBound' | 'expected' | 'previous'>,
  options: { created: boolean; minMatchRate: number },
): SizeVerdict | undefined {
  const { previous } = check;
  if (previous === null) return undefined;
  const most = Math.max(check.expected.most, previous.most);
  if (options.created && check.lowerBound !== null && check.lowerBound >= 0 && check.lowerBound > most)
    return { direction: 'over', actual: check.lowerBound, expected: most, gap: check.lowerBound - most };
  if (check.upperBound === null || check.upperBound < 0) return undefined;
  const least = Math.floor(Math.min(check.expected.least, previous.least) * options.minMatchRate);
  if (check.upperBound < least)
    return { direction: 'under', actual: check.upperBound, expected: least, gap: least - check.upperBound };
  return undefined;
}
