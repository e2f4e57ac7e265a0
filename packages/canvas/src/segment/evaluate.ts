import { assertNever } from '../assert-never.js';
import { test, userConditionHolds } from '../engine/conditions.js';
import { lookup } from '../engine/profile-fields.js';
import type { Profile } from '../engine/types.js';
import type { BehaviourCondition, BehaviourWindow, ReachabilityCondition, SegmentCondition } from './segment.schema.js';
import { emailUnsubscribed, identifierUsable, smsUnsubscribed, usableIdentifiers } from './reachability.js';

/** One remembered track event of the member. */
export interface HistoryItem {
  event: string;
  at: Date;
  properties: Readonly<Record<string, unknown>>;
}

/** What a segment is evaluated against: the profile now and the behaviour history kept for the user. */
export interface SegmentMember {
  profile: Profile;
  history: readonly HistoryItem[];
  /** The device advertising id last seen, for MADID reachability. */
  advertisingId?: string | undefined;
  /** Occurrences of behaviour conditions already counted (from the daily rollup); the history is not read for them. */
  counts?: ReadonlyMap<BehaviourCondition, number> | undefined;
}

const dayMs = 86_400_000;

/** The moments a window covers, both ends included; `ever` covers all the history kept. */
export function windowBounds(window: BehaviourWindow, now: Date): { from: number; to: number } {
  if ('lastDays' in window) return { from: now.getTime() - window.lastDays * dayMs, to: now.getTime() };
  if ('from' in window) return { from: Date.parse(window.from), to: Date.parse(window.to) };
  return { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
}

/** How often the member did the event inside the window, counting only events meeting `where`. */
export function occurrences(condition: BehaviourCondition, history: readonly HistoryItem[], now: Date): number {
  const { from, to } = windowBounds(condition.window, now);
  return history.filter(
    (item) =>
      item.event === condition.event &&
      item.at.getTime() >= from &&
      item.at.getTime() <= to &&
      condition.where.every((c) => test(c.op, lookup(item.properties, c.property), c.value)),
  ).length;
}

function behaviourHolds(condition: BehaviourCondition, member: SegmentMember, now: Date): boolean {
  const n = member.counts?.get(condition) ?? occurrences(condition, member.history, now);
  const { op, value } = condition.count ?? { op: 'gte', value: 1 };
  const counted = op === 'gte' ? n >= value : op === 'eq' ? n === value : n <= value;
  return condition.did ? counted : !counted;
}

function reachabilityHolds(condition: ReachabilityCondition, member: SegmentMember): boolean {
  const source = { userId: member.profile.userId, traits: member.profile.traits, advertisingId: member.advertisingId };
  const holds = (() => {
    switch (condition.reachable) {
      case 'has_email':
        return identifierUsable('EMAIL', source);
      case 'has_phone':
        return identifierUsable('PHONE', source);
      case 'has_match_key':
        return usableIdentifiers(source, condition.matchKeys).length > 0;
      case 'email_unsubscribed':
        return emailUnsubscribed(member.profile.traits);
      case 'sms_unsubscribed':
        return smsUnsubscribed(member.profile.traits);
      default:
        return assertNever(condition.reachable);
    }
  })();
  return condition.is ? holds : !holds;
}

/** Whether a member belongs to the segment at `now`. Pure: the caller brings profile and history. */
export function segmentMatches(condition: SegmentCondition, member: SegmentMember, now: Date): boolean {
  if ('all' in condition) return condition.all.every((c) => segmentMatches(c, member, now));
  if ('any' in condition) return condition.any.some((c) => segmentMatches(c, member, now));
  if ('profile' in condition) return userConditionHolds(condition.profile, member.profile, now);
  if ('behaviour' in condition) return behaviourHolds(condition.behaviour, member, now);
  return reachabilityHolds(condition.reachability, member);
}
