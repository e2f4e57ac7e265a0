import { identifierKeys, type MatchKey } from '../model/match-keys.js';
import { segmentMatches, type SegmentMember } from './evaluate.js';
import { identifierUsable } from './reachability.js';
import type { SegmentCondition } from './segment.schema.js';

/** An estimate: members now, of them how many Meta could match on the chosen keys, and per key. */
export interface Reach {
  evaluated: number;
  members: number;
  matchable: number;
  byKey: Partial<Record<MatchKey, number>>;
}

export const emptyReach = (keys: readonly MatchKey[] = identifierKeys): Reach => ({
  evaluated: 0,
  members: 0,
  matchable: 0,
  byKey: Object.fromEntries(keys.map((k) => [k, 0])),
});

/** Adds a page of candidates to a running estimate (in place) and returns the page's members. */
export function tallyReach(
  reach: Reach,
  condition: SegmentCondition,
  candidates: readonly SegmentMember[],
  now: Date,
  keys: readonly MatchKey[] = identifierKeys,
): SegmentMember[] {
  const members = candidates.filter((m) => segmentMatches(condition, m, now));
  reach.evaluated += candidates.length;
  reach.members += members.length;
  for (const member of members) {
    const source = {
      userId: member.profile.userId,
      traits: member.profile.traits,
      advertisingId: member.advertisingId,
    };
    const usable = keys.filter((key) => identifierUsable(key, source));
    if (usable.length > 0) reach.matchable += 1;
    for (const key of usable) reach.byKey[key] = (reach.byKey[key] ?? 0) + 1;
  }
  return members;
}
