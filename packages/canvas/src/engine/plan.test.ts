import { describe, expect, it } from '@jest/globals';
import type { ParsedEvent } from '../events/parse-event.js';
import { abandonedCart, at, version } from '../fixtures.test-helpers.js';
import { journeyOf, planEvents, planTimers, type BatchState, type CanvasLookup, type LiveCanvas } from './plan.js';
import { userKey } from '../keys/keys.js';

const ws = 'w1';
const now = at('2026-11-22T10:00:00Z');

function state(users: string[], caps: Record<string, number> = {}): BatchState {
  return {
    profiles: new Map(
      users.map((u) => [
        userKey(ws, u),
        {
          workspaceId: ws,
          userId: u,
          traits: {},
          context: {},
          firstSeenAt: now,
          lastSeenAt: at('2026-01-01T00:00:00Z'),
        },
      ]),
    ),
    journeys: new Map(),
    caps: new Map(Object.entries(caps)),
    capRemaining: new Map(Object.entries(caps)),
  };
}

function lookup(live: LiveCanvas[]): CanvasLookup {
  return {
    triggeredBy: (workspaceId, name) =>
      live.filter((c) => c.workspaceId === workspaceId && c.version.definition.entry.trigger?.event === name),
    version: (canvasId, v) => live.find((c) => c.version.canvasId === canvasId && c.version.version === v)?.version,
  };
}

const parsed = (
  type: 'track' | 'identify',
  userId: string,
  name: string | undefined,
  traits: Record<string, unknown> = {},
  context: Record<string, unknown> = {},
): ParsedEvent => ({
  workspaceId: ws,
  traits,
  context,
  event: { type, messageId: `${userId}-${name}`, userId, event: name, properties: {}, timestamp: now },
});

describe('planEvents', () => {
  const cart = { workspaceId: ws, status: 'running' as const, version: version(abandonedCart(), 'cart') };

  it('merges traits (null removes one), enters the canvas and schedules the delay', () => {
    const s = state(['u1']);
    s.profiles.get(userKey(ws, 'u1'))!.traits = { plan: 'free', city: 'Lyon' };
    const plan = planEvents(
      [
        parsed('identify', 'u1', undefined, { email: 'a@b.co', city: null }, { app: { version: '2.0' } }),
        parsed('track', 'u1', 'added_to_cart'),
      ],
      s,
      lookup([cart]),
      now,
    );
    expect(s.profiles.get(userKey(ws, 'u1'))).toMatchObject({
      traits: { plan: 'free', email: 'a@b.co' },
      context: { app: { version: '2.0' } },
      lastSeenAt: now,
    });
    expect(plan.outcomes).toEqual({ applied: 2, entered: 1, capped: 0 });
    expect([...plan.timers.values()]).toEqual([{ stepId: 'wait', entrySeq: 1, dueAt: at('2026-11-22T10:00:10Z') }]);
    expect(plan.counts.map((c) => `${c.stepId}.${c.metric}`)).toEqual(['$canvas.entered', 'wait.entered']);
  });

  it('exits a waiting user on the exit event and deletes the timer', () => {
    const s = state(['u1']);
    planEvents([parsed('track', 'u1', 'added_to_cart')], s, lookup([cart]), now);
    const plan = planEvents([parsed('track', 'u1', 'purchased')], s, lookup([cart]), now);
    expect(journeyOf(s, ws, 'u1', 'cart')?.status).toBe('exited');
    expect([...plan.timers.values()]).toEqual([null]);
    expect(plan.counts.map((c) => `${c.stepId}.${c.metric}`)).toEqual(['wait.exited', '$canvas.exited']);
  });

  it('holds the target cap exactly within a batch', () => {
    const capped = {
      ...cart,
      version: version(abandonedCart({ entry: { trigger: { event: 'added_to_cart' }, targetCap: 2 } }), 'cart'),
    };
    const s = state(['u1', 'u2', 'u3'], { cart: 2 });
    const plan = planEvents(
      ['u1', 'u2', 'u3'].map((u) => parsed('track', u, 'added_to_cart')),
      s,
      lookup([capped]),
      now,
    );
    expect(plan.outcomes).toMatchObject({ entered: 2, capped: 1 });
    expect(plan.entrants.get('cart')).toBe(2);
    expect(journeyOf(s, ws, 'u3', 'cart')).toBeUndefined();
  });

  it('lets nobody into a paused canvas, but still exits users inside it', () => {
    const s = state(['u1']);
    planEvents([parsed('track', 'u1', 'added_to_cart')], s, lookup([cart]), now);
    const paused = { ...cart, status: 'paused' as const };
    const s2 = state(['u2']);
    expect(planEvents([parsed('track', 'u2', 'added_to_cart')], s2, lookup([paused]), now).outcomes.entered).toBe(0);
    expect(planEvents([parsed('track', 'u1', 'purchased')], s, lookup([paused]), now).counts.length).toBe(2);
  });
});

describe('planTimers', () => {
  it('fires a due delay once: the user reaches the Facebook step with the profile of that moment', () => {
    const cart = { workspaceId: ws, status: 'running' as const, version: version(abandonedCart(), 'cart') };
    const s = state(['u1']);
    planEvents([parsed('track', 'u1', 'added_to_cart')], s, lookup([cart]), now);
    s.profiles.get(userKey(ws, 'u1'))!.traits = { email: 'late@b.co' };
    const timer = { workspaceId: ws, userId: 'u1', canvasId: 'cart', entrySeq: 1, stepId: 'wait' };
    const plan = planTimers([timer], s, lookup([cart]), at('2026-11-22T10:00:10Z'));
    expect(plan.handoffs).toEqual([
      expect.objectContaining({
        userId: 'u1',
        canvasId: 'cart',
        version: 1,
        entrySeq: 1,
        traits: { email: 'late@b.co' },
      }),
    ]);
    expect(plan.counts.map((c) => `${c.stepId}.${c.metric}`)).toEqual([
      'wait.proceeded',
      'fb.entered',
      'fb.proceeded',
      '$canvas.completed',
    ]);
    const again = planTimers([timer], s, lookup([cart]), at('2026-11-22T10:00:11Z'));
    expect([again.handoffs.length, again.counts.length, [...again.timers.values()]]).toEqual([0, 0, [null]]);
  });

  it('cancels a waiting journey whose canvas was archived, deletes its timer and counts it canceled', () => {
    const cart = { workspaceId: ws, status: 'running' as const, version: version(abandonedCart(), 'cart') };
    const s = state(['u1']);
    planEvents([parsed('track', 'u1', 'added_to_cart')], s, lookup([cart]), now);
    const timer = {
      workspaceId: ws,
      userId: 'u1',
      canvasId: 'cart',
      entrySeq: 1,
      stepId: 'wait',
      canvasArchived: true,
    };
    const plan = planTimers([timer], s, lookup([cart]), at('2026-11-22T10:00:10Z'));
    expect(journeyOf(s, ws, 'u1', 'cart')).toMatchObject({ status: 'canceled', stepId: 'wait' });
    expect(plan.counts.map((c) => `${c.stepId}.${c.metric}`)).toEqual(['$canvas.canceled']);
    expect([plan.handoffs.length, [...plan.timers.values()]]).toEqual([0, [null]]);
  });
});
