import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { handoffOutcome } from '../engine/handoff-outcome.js';
import {
  planEvents,
  planSegmentEntries,
  planTimers,
  type BatchState,
  type CanvasLookup,
  type DueTimer,
  type Plan,
} from '../engine/plan.js';
import { audienceSplitBranch } from '../engine/steps/audience-split.step.js';
import { randomSplitPath } from '../engine/steps/random-split.step.js';
import { canvasLevel, type CanvasVersion } from '../engine/types.js';
import { keyParts, userKey } from '../keys/keys.js';
import { adsOptedOut } from '../model/ad-consent.js';
import { CanvasDefinition, type CanvasDefinitionInput } from '../model/canvas.schema.js';
import { identifierKeys } from '../model/match-keys.js';
import { deviceAdvertisingId, rawMatchValue } from '../model/match-source.js';
import { segmentMatches, type HistoryItem } from '../segment/evaluate.js';
import { SegmentCondition } from '../segment/segment.schema.js';
import { CapCounter } from './cap-admission.js';
import { Replay, type ReplayEvent, type ReplayUser, type UsableCheck } from './replay.js';
import type { ReplayResult } from './replay-result.js';

const ws = 'w1';
const from = new Date('2026-11-01T00:00:00Z');
const to = new Date('2026-11-08T00:00:00Z');
const hour = 3_600_000;

/** Good enough for these tests: any text in an identifier key. The API passes Meta's normalisation. */
const usable: UsableCheck = (keys, source) =>
  keys.some((k) => identifierKeys.includes(k) && (rawMatchValue(k, source) ?? '').trim() !== '');

const version = (input: CanvasDefinitionInput, canvasId = 'canvas-1'): CanvasVersion => ({
  canvasId,
  version: 1,
  definition: CanvasDefinition.parse(input),
});

/** Cart → split on country: US waits a day and joins an audience, others join another at once; a purchase exits. */
const twoBranches = (overrides: Partial<CanvasDefinitionInput> = {}): CanvasDefinitionInput => ({
  name: 'Two branches',
  entry: {
    trigger: { event: 'added_to_cart', conditions: [{ property: 'total', op: 'gte', value: 20 }] },
    reentry: { policy: 'after_cooldown', cooldown: '2d' },
    controlGroupPercent: 10,
  },
  conversionGoal: { event: 'purchased', within: '3d' },
  exitCriteria: [{ event: 'purchased' }],
  firstStep: 'split',
  steps: [
    {
      id: 'split',
      kind: 'audience_split',
      branches: [{ name: 'US', conditions: [{ field: 'country', op: 'eq', value: 'US' }], next: 'wait' }],
      else: 'fb_rest',
    },
    { id: 'wait', kind: 'delay', duration: '1d', next: 'ab' },
    {
      id: 'ab',
      kind: 'random_split',
      paths: [
        { name: 'A', percent: 50, next: 'fb_us' },
        { name: 'B', percent: 50, next: null },
      ],
    },
    {
      id: 'fb_us',
      kind: 'facebook_audience',
      audience: { create: { name: 'US carts' } },
      matchKeys: ['EMAIL', 'PHONE'],
      next: null,
    },
    {
      id: 'fb_rest',
      kind: 'facebook_audience',
      audience: { create: { name: 'Other carts' } },
      matchKeys: ['EMAIL'],
      next: 'bye',
    },
    { id: 'bye', kind: 'exit' },
  ],
  ...overrides,
});

interface World {
  users: ReplayUser[];
}

const events = ['added_to_cart', 'purchased', 'page_viewed'] as const;

/** Users with random traits and events; every event at a second of its own, so arrival order is total. */
const world = fc
  .array(
    fc.record({
      traits: fc.record(
        {
          country: fc.constantFrom('US', 'USA', 'FR', 'DE'),
          email: fc.constantFrom('a@example.com', ''),
          ads_opt_out: fc.constantFrom(true, false),
        },
        { requiredKeys: ['country'] },
      ),
      events: fc.array(
        fc.record({
          event: fc.constantFrom(...events),
          second: fc.integer({ min: 0, max: 7 * 86_400 - 1 }),
          total: fc.constantFrom(5, 25, 80),
        }),
        { maxLength: 8 },
      ),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((drafts): World => {
    const taken = new Set<number>();
    const users = drafts.map((draft, i) => {
      const items: ReplayEvent[] = [];
      for (const e of draft.events) {
        let second = e.second;
        while (taken.has(second)) second = (second + 1) % (7 * 86_400);
        taken.add(second);
        items.push({ event: e.event, at: from.getTime() + second * 1000, properties: { total: e.total } });
      }
      items.sort((a, b) => a.at - b.at);
      return {
        profile: {
          userId: `u${String(i).padStart(3, '0')}`,
          traits: draft.traits,
          context: {},
          firstSeenAt: new Date('2026-01-01T00:00:00Z'),
          lastSeenAt: new Date('2026-01-01T00:00:00Z'),
        },
        events: items,
        history: items.map((e) => ({ event: e.event, at: new Date(e.at), properties: e.properties })),
      };
    });
    return { users };
  });

/** Per step and metric, what the reference run counted. */
type Counts = Record<string, number>;

/**
 * The runner's way, as a reference: every user's events in arrival (time) order through
 * planEvents on one shared state, delays fired by planTimers when due, the cap counted as the
 * runner counts it (locked entrants), segment runs at their time over every user.
 */
function referenceRun(
  canvas: CanvasVersion,
  users: readonly ReplayUser[],
  options: { segment?: SegmentCondition; runs?: number[] } = {},
): Counts {
  const cap = canvas.definition.entry.targetCap;
  const state: BatchState = {
    profiles: new Map(users.map((u) => [userKey(ws, u.profile.userId), { ...u.profile, workspaceId: ws }])),
    journeys: new Map(),
    caps: new Map(cap === undefined ? [] : [[canvas.canvasId, cap]]),
    capRemaining: new Map(cap === undefined ? [] : [[canvas.canvasId, cap]]),
  };
  const lookup: CanvasLookup = {
    triggeredBy: (_w, name) =>
      name === canvas.definition.entry.trigger?.event ? [{ workspaceId: ws, status: 'running', version: canvas }] : [],
    version: () => canvas,
    segment: () => options.segment,
  };
  const counts: Counts = {};
  const add = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const timers = new Map<string, DueTimer & { dueAt: number }>();
  const agenda = [
    ...users.flatMap((u) => u.events.map((e) => ({ at: e.at, kind: 'event' as const, user: u, e }))),
    ...(options.runs ?? []).map((at) => ({ at, kind: 'run' as const })),
  ].sort((a, b) => a.at - b.at);
  const historyOf = (u: ReplayUser, now: number): HistoryItem[] =>
    (u.history ?? []).filter((h) => h.at.getTime() <= now);
  /** Splits decided again, the way the step handlers decide, to check the dry run's reading of the counts. */
  const splitWay = (stepId: string, userId: string, now: number): number | undefined => {
    const step = canvas.definition.steps.find((s) => s.id === stepId);
    const profile = state.profiles.get(userKey(ws, userId))!;
    if (step?.kind === 'audience_split') {
      const index = audienceSplitBranch(step, profile, new Date(now));
      return index < 0 ? step.branches.length : index;
    }
    if (step?.kind === 'random_split') {
      const entrySeq = state.journeys.get(userKey(ws, userId))?.get(canvas.canvasId)?.entrySeq ?? 1;
      return randomSplitPath(step, canvas.canvasId, userId, entrySeq);
    }
    return undefined;
  };
  const apply = (plan: Plan, now: number, userId: string) => {
    for (const c of plan.counts) {
      add(`${c.stepId}/${c.metric}`);
      const way = c.metric === 'proceeded' ? splitWay(c.stepId, userId, now) : undefined;
      if (way !== undefined) add(`${c.stepId}->${way}`);
    }
    for (const [key, timer] of plan.timers) {
      if (timer === null) timers.delete(key);
      else {
        const [workspaceId, userId, canvasId] = keyParts(key) as [string, string, string];
        timers.set(key, { workspaceId, userId, canvasId, ...timer, dueAt: timer.dueAt.getTime() });
      }
    }
    for (const h of plan.handoffs) {
      const { status, reason } = handoffOutcome({
        audienceResolved: true,
        usable: usable(
          h.step.matchKeys,
          { userId: h.userId, traits: h.traits, advertisingId: deviceAdvertisingId(h.context) },
          new Date(now).getUTCFullYear(),
        ),
        action: h.step.action,
        optedOut: adsOptedOut(h.traits, h.context),
        matchKeys: h.step.matchKeys,
      });
      add(`${h.step.id}/${status === 'pending' ? 'synced' : (reason?.code ?? status)}`);
    }
    counts.capped = (counts.capped ?? 0) + plan.outcomes.capped;
  };
  const fireDue = (until: number, inclusive: boolean) => {
    for (;;) {
      const due = [...timers.values()]
        .filter((t) => (inclusive ? t.dueAt <= until : t.dueAt < until))
        .sort((a, b) => a.dueAt - b.dueAt)[0];
      if (!due) return;
      const plan = planTimers([due], state, lookup, new Date(due.dueAt));
      timers.delete(`${ws}\u0000${due.userId}\u0000${due.canvasId}`);
      apply(plan, due.dueAt, due.userId);
    }
  };
  for (const item of agenda) {
    fireDue(item.at, true);
    if (item.kind === 'run') {
      const members = users.filter((u) =>
        segmentMatches(
          options.segment!,
          {
            profile: { ...u.profile },
            history: historyOf(u, item.at),
            advertisingId: undefined,
          },
          new Date(item.at),
        ),
      );
      for (const member of members)
        apply(
          planSegmentEntries([{ workspaceId: ws, userId: member.profile.userId }], canvas, state, new Date(item.at)),
          item.at,
          member.profile.userId,
        );
      continue;
    }
    const { user, e } = item;
    state.histories = new Map([[userKey(ws, user.profile.userId), historyOf(user, e.at)]]);
    const plan = planEvents(
      [
        {
          workspaceId: ws,
          traits: {},
          context: {},
          event: {
            type: 'track',
            messageId: 'm',
            userId: user.profile.userId,
            event: e.event,
            properties: e.properties,
            timestamp: new Date(e.at),
          },
        },
      ],
      state,
      lookup,
      new Date(e.at),
    );
    apply(plan, e.at, user.profile.userId);
  }
  fireDue(to.getTime(), false);
  for (const journeys of state.journeys.values())
    for (const j of journeys.values()) if (j.status === 'waiting' && j.stepId) add(`${j.stepId}/waiting`);
  return counts;
}

/** The dry run's numbers in the reference's spelling. */
function asCounts(result: ReplayResult): Counts {
  const counts: Counts = {};
  const put = (key: string, n: number) => {
    if (n !== 0) counts[key] = n;
  };
  const t = result.totals;
  put(`${canvasLevel}/entered`, t.entered);
  put(`${canvasLevel}/control`, t.control);
  put(`${canvasLevel}/converted`, t.converted);
  put(`${canvasLevel}/control_converted`, t.controlConverted);
  put(`${canvasLevel}/exited`, t.exited);
  put(`${canvasLevel}/completed`, t.completed);
  put('capped', t.capped);
  for (const s of result.steps) {
    put(`${s.stepId}/entered`, s.entered);
    put(`${s.stepId}/proceeded`, s.proceeded);
    put(`${s.stepId}/exited`, s.exited);
    put(`${s.stepId}/converted`, s.converted);
    put(`${s.stepId}/waiting`, s.waiting);
    for (const [way, branch] of (s.branches ?? []).entries()) put(`${s.stepId}->${way}`, branch.users);
    if (s.facebook) {
      put(`${s.stepId}/synced`, s.facebook.synced);
      put(`${s.stepId}/NO_MATCH_KEYS`, s.facebook.notSynced.noMatchKeys);
      put(`${s.stepId}/CONSENT`, s.facebook.notSynced.consent);
    }
  }
  return counts;
}

const nonZero = (counts: Counts) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));

/** The dry run, user by user in id order (with a second pass under a binding cap). */
function dryRun(
  canvas: CanvasVersion,
  users: readonly ReplayUser[],
  segment?: SegmentCondition,
  sorted = true,
): ReplayResult {
  const ordered = sorted ? [...users].sort((a, b) => (a.profile.userId < b.profile.userId ? -1 : 1)) : users;
  const options = { workspaceId: ws, canvas, from, to, usable, segment };
  const cap = canvas.definition.entry.targetCap;
  const counter = cap === undefined ? undefined : new CapCounter(from.getTime(), to.getTime(), cap);
  const first = new Replay({ ...options, cap: counter });
  for (const u of ordered) first.user(u);
  const cutoff = counter?.cutoff();
  if (!cutoff) return first.result();
  const second = new Replay({ ...options, cap: cutoff });
  for (const u of ordered) second.user(u);
  return second.result();
}

describe('a dry run', () => {
  it('counts what the runner counts, for users replayed one at a time (property)', () => {
    const canvas = version(twoBranches());
    fc.assert(
      fc.property(world, ({ users }) => {
        expect(asCounts(dryRun(canvas, users))).toEqual(nonZero(referenceRun(canvas, users)));
      }),
      { numRuns: 200 },
    );
  });

  it('applies a target cap as arrival order would, though it goes user by user (property)', () => {
    const canvas = version(twoBranches({ entry: { trigger: { event: 'added_to_cart' }, targetCap: 4 } }));
    fc.assert(
      fc.property(world, ({ users }) => {
        expect(asCounts(dryRun(canvas, users))).toEqual(nonZero(referenceRun(canvas, users)));
      }),
      { numRuns: 200 },
    );
  });

  it('judges an entry segment on the history up to each triggering event (property)', () => {
    // "ever" reaches past the moment judged: only history kept by then may count
    const segment = SegmentCondition.parse({
      all: [
        { behaviour: { did: true, event: 'page_viewed', count: { op: 'gte', value: 2 }, window: { lastDays: 2 } } },
        { behaviour: { did: false, event: 'purchased', window: { ever: true } } },
      ],
    });
    const canvas = version(
      twoBranches({
        entry: { trigger: { event: 'added_to_cart' }, inSegment: '00000000-0000-4000-8000-000000000001' },
      }),
    );
    fc.assert(
      fc.property(world, ({ users }) => {
        expect(asCounts(dryRun(canvas, users, segment))).toEqual(nonZero(referenceRun(canvas, users, { segment })));
      }),
      { numRuns: 100 },
    );
  });

  it('enters a segment-entry canvas at each run inside the window (property)', () => {
    const segment = SegmentCondition.parse({
      any: [
        { behaviour: { did: true, event: 'added_to_cart', window: { lastDays: 1 } } },
        { behaviour: { did: true, event: 'purchased', count: { op: 'gte', value: 2 }, window: { ever: true } } },
      ],
    });
    const canvas = version(
      twoBranches({
        entry: {
          segment: {
            segmentId: '00000000-0000-4000-8000-000000000001',
            runs: { kind: 'recurring', every: 'day', time: '09:00', timeZone: 'UTC' },
          },
          reentry: { policy: 'after_cooldown', cooldown: '1d' },
        },
      }),
    );
    const runs = Array.from({ length: 7 }, (_, day) => from.getTime() + day * 86_400_000 + 9 * hour);
    fc.assert(
      fc.property(world, ({ users }) => {
        const result = dryRun(canvas, users, segment);
        expect(result.segmentRuns).toBe(7);
        expect(asCounts(result)).toEqual(nonZero(referenceRun(canvas, users, { segment, runs })));
      }),
      { numRuns: 60 },
    );
  });

  it('tells the ways of splits apart when they lead to the same step (property)', () => {
    // both branches and both paths end up at the same steps: the counts cannot say which way was taken
    const canvas = version(
      twoBranches({
        firstStep: 'split',
        steps: [
          {
            id: 'split',
            kind: 'audience_split',
            branches: [
              { name: 'US', conditions: [{ field: 'country', op: 'eq', value: 'US' }], next: 'ab' },
              { name: 'FR', conditions: [{ field: 'country', op: 'eq', value: 'FR' }], next: 'ab' },
            ],
            else: 'ab',
          },
          {
            id: 'ab',
            kind: 'random_split',
            paths: [
              { percent: 30, next: 'fb' },
              { percent: 30, next: 'fb' },
              { percent: 40, next: null },
            ],
          },
          { id: 'fb', kind: 'facebook_audience', audience: { id: '238000001' }, matchKeys: ['EMAIL'], next: null },
        ],
      }),
    );
    fc.assert(
      fc.property(world, ({ users }) => {
        expect(asCounts(dryRun(canvas, users))).toEqual(nonZero(referenceRun(canvas, users)));
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same numbers in any user order', () => {
    const canvas = version(twoBranches());
    fc.assert(
      fc.property(world, fc.infiniteStream(fc.integer()), ({ users }, seeds) => {
        const shuffled = [...users].sort(() => (seeds.next().value % 2 === 0 ? -1 : 1));
        expect(asCounts(dryRun(canvas, shuffled, undefined, false))).toEqual(asCounts(dryRun(canvas, users)));
      }),
      { numRuns: 50 },
    );
  });

  it('counts split branches, samples user ids, and says why users would not be synced', () => {
    const canvas = version(twoBranches({ entry: { trigger: { event: 'added_to_cart' } } }));
    const replay = new Replay({ workspaceId: ws, canvas, from, to, usable });
    const user = (userId: string, traits: Record<string, unknown>, at: number): ReplayUser => ({
      profile: { userId, traits, context: {}, firstSeenAt: from, lastSeenAt: from },
      events: [{ event: 'added_to_cart', at, properties: {} }],
    });
    replay.user(user('fr-1', { country: 'FR', email: 'a@example.com' }, from.getTime() + hour));
    replay.user(user('fr-2', { country: 'FR' }, from.getTime() + hour));
    replay.user(user('fr-3', { country: 'FR', email: 'c@example.com', do_not_sell: true }, from.getTime() + hour));
    replay.user(user('us-1', { country: 'US', email: 'd@example.com' }, from.getTime() + hour));
    // still in the delay when the window ends
    replay.user(user('us-2', { country: 'US', email: 'e@example.com' }, to.getTime() - hour));
    const result = replay.result();
    const step = (id: string) => result.steps.find((s) => s.stepId === id)!;
    expect(step('split').branches).toEqual([
      { index: 0, name: 'US', next: 'wait', percent: null, users: 2 },
      { index: null, name: 'else', next: 'fb_rest', percent: null, users: 3 },
    ]);
    expect(step('fb_rest').facebook).toMatchObject({
      synced: 1,
      notSynced: { total: 2, noMatchKeys: 1, consent: 1 },
      requests: 1,
    });
    expect(step('fb_rest').sampleUserIds).toEqual(['fr-1', 'fr-2', 'fr-3']);
    expect(step('wait')).toMatchObject({ entered: 2, proceeded: 1, waiting: 1 });
    expect(result.totals).toMatchObject({ entered: 5, waiting: 1 });
    expect(step('ab').branches!.reduce((n, b) => n + b.users, 0)).toBe(1);
    expect(result.users).toEqual({ replayed: 5, entered: 5 });
  });

  it('counts one request per 5-s batch window holding users, and more for a crowd', () => {
    const canvas = version(twoBranches({ entry: { trigger: { event: 'added_to_cart' } } }));
    const replay = new Replay({ workspaceId: ws, canvas, from, to, usable, usersPerRequest: 2 });
    const at = from.getTime() + 10 * hour;
    for (let i = 0; i < 5; i += 1)
      replay.user({
        profile: {
          userId: `u${i}`,
          traits: { country: 'FR', email: `${i}@x.co` },
          context: {},
          firstSeenAt: from,
          lastSeenAt: from,
        },
        // three users in one batch window, two in the next hour
        events: [{ event: 'added_to_cart', at: i < 3 ? at + i : at + hour + i * 10_000, properties: {} }],
      });
    const fb = replay.result().steps.find((s) => s.stepId === 'fb_rest')!.facebook!;
    // hour 10: 3 users in one window, 2 a request → 2; hour 11: 2 windows of one user → 2
    expect(fb.hourlyRequests[10]).toBe(2);
    expect(fb.hourlyRequests[11]).toBe(2);
    expect(fb.requests).toBe(4);
    expect(fb.hourlyUsers.length).toBe(7 * 24);
  });
});
