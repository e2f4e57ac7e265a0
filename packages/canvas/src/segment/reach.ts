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

/** An estimate from a sample of a workspace's profiles, scaled to all of them. */
export interface ScaledReach {
  members: number;
  matchable: number;
  byKey: Partial<Record<MatchKey, number>>;
  /** 95 % interval for the members (Wilson score, finite-population corrected). */
  membersRange: { low: number; high: number };
}

const z95 = 1.959964;

/** Scales counts found among `sampled` of `total` profiles to the whole workspace. */
export function scaleReach(reach: Reach, sampled: number, total: number): ScaledReach {
  if (sampled <= 0 || sampled >= total) {
    const { members, matchable, byKey } = reach;
    return { members, matchable, byKey, membersRange: { low: members, high: members } };
  }
  const scale = (n: number) => Math.round((n * total) / sampled);
  const p = reach.members / sampled;
  const z2n = (z95 * z95) / sampled;
  const centre = (p + z2n / 2) / (1 + z2n);
  const correction = Math.sqrt((total - sampled) / (total - 1));
  const half = ((z95 * Math.sqrt((p * (1 - p)) / sampled + z2n / (4 * sampled))) / (1 + z2n)) * correction;
  return {
    members: scale(reach.members),
    matchable: scale(reach.matchable),
    byKey: Object.fromEntries(Object.entries(reach.byKey).map(([key, n]) => [key, scale(n ?? 0)])),
    membersRange: {
      low: Math.max(0, Math.floor((centre - half) * total)),
      high: Math.min(total, Math.ceil((centre + half) * total)),
    },
  };
}
