import {
  candidateFilter,
  emptyReach,
  historyNeeded,
  tallyReach,
  type MatchKey,
  type Reach,
  type SegmentCondition,
} from '@canvas/canvas';
import { scanCandidates, type Db } from '@canvas/db';

/** Candidates evaluated per page: bounded memory whatever the workspace's size. */
const pageSize = 5000;

/**
 * Counts a segment's members now and how many Meta could match, by key: the rollup narrows the
 * candidates in SQL, the segment evaluator decides each one exactly, page by page, in one
 * snapshot.
 */
export async function estimateReach(
  db: Db,
  workspaceId: string,
  conditions: SegmentCondition,
  keys: readonly MatchKey[] | undefined,
  now: Date,
): Promise<Reach> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const reach = emptyReach(keys);
      const pages = scanCandidates(
        tx,
        workspaceId,
        candidateFilter(conditions, now),
        historyNeeded(conditions, now),
        pageSize,
      );
      for await (const page of pages) tallyReach(reach, conditions, page, now, keys);
      return reach;
    });
}
