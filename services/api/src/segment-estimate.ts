import {
  candidateFilter,
  emptyReach,
  historyNeeded,
  rollupCountable,
  scaleReach,
  tallyReach,
  type MatchKey,
  type ScaledReach,
  type SegmentCondition,
} from '@canvas/canvas';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  isStatementTimeout,
  limitStatementTime,
  profileCount,
  scanCandidates,
  scanCounted,
  scanSample,
  type Db,
  type SampleSize,
} from '@canvas/db';
import { apiError } from './problem.js';

/** Candidates per page: bounded memory, and a page of history parses in a few milliseconds of the event loop. */
const pageSize = 1000;
/** Candidates per page when the rollup counts their behaviour (one cursor): a page carries no history. */
const countedPageSize = 5000;
/** Runs of adjacent users a sample is made of. */
const sampleClusters = 64;
/** Candidates evaluated between two turns of the event loop, so other requests are served meanwhile. */
const evaluationChunk = 250;

export interface EstimateOptions {
  /** Count every profile, however many (slower); otherwise large workspaces are sampled. */
  exact?: boolean;
  /** Profiles a sampled estimate looks at; workspaces up to twice this size are counted exactly. */
  sampleSize?: number;
  /** How long the whole estimate, and any one statement of it, may run. */
  timeoutMs?: number;
}

/** Members, matchable and by key, exact or scaled from a sample, with what was looked at. */
export interface Estimate extends ScaledReach {
  exact: boolean;
  /** Profiles the evaluator looked at. */
  evaluated: number;
  /** For a sampled estimate: profiles in the sample and in the workspace. */
  sample: SampleSize | null;
}

/**
 * Counts a segment's members now and how many Meta could match, by key, in one snapshot. Exact:
 * the rollup narrows the candidates in SQL and the segment evaluator decides each one, page by
 * page. Sampled (workspaces larger than twice `sampleSize`, unless `exact`): the evaluator looks
 * at a systematic sample of profiles and the counts are scaled, with a 95 % interval.
 */
export async function estimateReach(
  db: Db,
  workspaceId: string,
  conditions: SegmentCondition,
  keys: readonly MatchKey[] | undefined,
  now: Date,
  options: EstimateOptions = {},
): Promise<Estimate> {
  const sampleSize = options.sampleSize ?? 20_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = performance.now() + timeoutMs;
  const tooCostly = () =>
    apiError(
      'ESTIMATE_TOO_COSTLY',
      options.exact
        ? `the exact count took longer than ${timeoutMs} ms; ask for the sampled estimate (without exact=true)`
        : `the estimate took longer than ${timeoutMs} ms; narrow the segment (fewer or more selective conditions)`,
    );
  const run = db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      await limitStatementTime(tx, timeoutMs);
      const reach = emptyReach(keys);
      // behaviour without property filters is counted by the daily rollup, not read event by event
      const needs = { ...historyNeeded(conditions, now), counted: rollupCountable(conditions, now) };
      const total = options.exact ? 0 : await profileCount(tx, workspaceId);
      const sizes: SampleSize = { sampled: 0, total };
      const sampled = !options.exact && total > 2 * sampleSize;
      const pages = sampled
        ? scanSample(tx, workspaceId, needs, sampleSize, sampleClusters, sizes)
        : needs.counted
          ? scanCounted(tx, workspaceId, conditions, needs.counted, countedPageSize)
          : scanCandidates(tx, workspaceId, candidateFilter(conditions, now), needs, pageSize);
      for await (const page of pages)
        for (let i = 0; i < page.length; i += evaluationChunk) {
          tallyReach(reach, conditions, page.slice(i, i + evaluationChunk), now, keys);
          await yieldToEventLoop();
          if (performance.now() > deadline) throw tooCostly();
        }
      // a "sample" of every profile is the exact count
      if (!sampled) return { ...scaleReach(reach, 1, 1), exact: true, evaluated: reach.evaluated, sample: null };
      return {
        ...scaleReach(reach, sizes.sampled, sizes.total),
        exact: false,
        evaluated: reach.evaluated,
        sample: sizes,
      };
    });
  return run.catch((error: unknown) => {
    throw isStatementTimeout(error) ? tooCostly() : error;
  });
}
