import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { replaceSessionWindowMs, type ReplaceErrorKind } from '@canvas/meta-graph';
import {
  afterBatch,
  afterSessionEnded,
  beforeBatch,
  whileConfirming,
  type BatchAnswer,
  type ReplaceSettings,
  type SessionProgress,
} from './replace-plan.js';

const settings: ReplaceSettings = {
  windowMs: replaceSessionWindowMs,
  maxSessions: 4,
  maxAttempts: 8,
  confirmTimeoutMs: 30 * 60_000,
  pollIntervalMs: 30_000,
  retry: { minDelayMs: 1000, maxDelayMs: 60_000 },
};

/**
 * Meta's replace as its guide describes it: batch_seq 1 starts a session (or starts an open one with
 * the same id over), other numbers add to it, last_batch_flag closes it, and 90 minutes after the
 * first batch it closes by itself; either way the audience becomes what the session received.
 */
class MetaReplace {
  time = 0;
  audience: Set<number>;
  private readonly sessions = new Map<
    string,
    { open: boolean; byTimeout: boolean; startedAt: number; rows: Set<number> }
  >();

  constructor(initial: readonly number[]) {
    this.audience = new Set(initial);
  }

  private expire(): void {
    for (const s of this.sessions.values())
      if (s.open && this.time >= s.startedAt + replaceSessionWindowMs) {
        s.open = false;
        s.byTimeout = true;
        this.audience = new Set(s.rows);
      }
  }

  receive(id: string, seq: number, last: boolean, rows: readonly number[]): ReplaceErrorKind | 'accepted' {
    this.expire();
    const same = this.sessions.get(id);
    const other = [...this.sessions.entries()].some(([key, s]) => key !== id && s.open);
    if (same && !same.open) return same.byTimeout ? 'session_timed_out' : 'session_finished';
    if (seq === 1) {
      if (other) return 'update_in_progress';
      this.sessions.set(id, { open: true, byTimeout: false, startedAt: this.time, rows: new Set(rows) });
    } else {
      if (!same) return 'first_batch_missing';
      for (const row of rows) same.rows.add(row);
    }
    if (last) {
      const session = this.sessions.get(id)!;
      session.open = false;
      this.audience = new Set(session.rows);
    }
    return 'accepted';
  }
}

/** What can happen to one batch on its way: nothing, or one of the failures real uploads meet. */
type Fault =
  | 'none'
  | 'dropped' // a network error before Meta got it
  | 'answer_lost' // Meta took it; the answer never came back (timeout, connection reset)
  | 'killed' // Meta took it; the process died before recording the answer
  | 'throttled'
  | 'try_again'
  | { jumpMs: number }; // time passes (an outage, a throttle, a slow queue)

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Fault>('none') },
  fc.constantFrom<Fault>('dropped', 'answer_lost', 'killed', 'throttled', 'try_again'),
  fc.integer({ min: 1, max: 120 }).map((minutes): Fault => ({ jumpMs: minutes * 60_000 })),
);

const batchOf = (batch: number, size: number) => Array.from({ length: size }, (_, i) => (batch - 1) * size + i);

/** Drives the plan against the model until it is done or failed; answers what happened. */
function run(batches: number, faults: readonly Fault[]) {
  const size = 3;
  const members = Array.from({ length: batches * size }, (_, i) => i);
  const meta = new MetaReplace([1000, 1001, 0]);
  let progress: SessionProgress = {
    batches,
    batchesSent: 0,
    sessionsStarted: 1,
    sessionStartedAtMs: null,
    attempts: 0,
  };
  let sessionId = 1;
  let status: 'uploading' | 'confirming' | 'done' | 'failed' = 'uploading';
  let sends = 0;
  const queue = [...faults];
  const newSession = () => {
    sessionId += 1;
    progress = {
      ...progress,
      batchesSent: 0,
      sessionsStarted: progress.sessionsStarted + 1,
      sessionStartedAtMs: null,
      attempts: 0,
    };
  };
  for (let step = 0; step < 1000 && (status === 'uploading' || status === 'confirming'); step += 1) {
    if (status === 'confirming') {
      const confirm = whileConfirming(true, 'finished', meta.time, meta.time, settings);
      expect(confirm.kind).toBe('check_audience');
      const next = afterSessionEnded(200, progress, meta.time, settings);
      status = next.kind === 'done' ? 'done' : 'failed';
      break;
    }
    const before = beforeBatch(progress, meta.time, settings);
    if (before.kind === 'fail') status = 'failed';
    if (before.kind === 'new_session') newSession();
    if (before.kind !== 'send') continue;
    const f = queue.shift() ?? 'none';
    if (typeof f === 'object') meta.time += f.jumpMs;
    sends += 1;
    const sentAt = meta.time;
    let answer: BatchAnswer;
    if (f === 'dropped') answer = { kind: 'error', classification: 'transient' };
    else if (f === 'throttled') answer = { kind: 'error', classification: 'throttled', retryAfterMs: 60_000 };
    else if (f === 'try_again') answer = { kind: 'error', classification: 'transient', replace: 'try_again' };
    else {
      const said = meta.receive(String(sessionId), before.batchSeq, before.last, batchOf(before.batchSeq, size));
      if (f === 'killed') continue;
      answer =
        f === 'answer_lost'
          ? { kind: 'error', classification: 'transient' }
          : said === 'accepted'
            ? { kind: 'accepted' }
            : { kind: 'error', classification: 'invalid_request', replace: said };
    }
    const after = afterBatch(progress, before.batchSeq, answer, meta.time, settings, () => 0.5);
    switch (after.kind) {
      case 'acknowledged':
        progress = {
          ...progress,
          batchesSent: after.batchesSent,
          attempts: 0,
          sessionStartedAtMs:
            before.batchSeq === 1 && answer.kind === 'accepted' ? sentAt : progress.sessionStartedAtMs,
        };
        if (after.confirm) status = 'confirming';
        break;
      case 'retry':
        progress = { ...progress, attempts: progress.attempts + (after.countAttempt ? 1 : 0) };
        meta.time = Math.max(meta.time, after.atMs);
        break;
      case 'new_session':
        newSession();
        break;
      case 'fail':
        status = 'failed';
        break;
    }
  }
  return {
    status,
    audience: [...meta.audience].sort((a, b) => a - b),
    members,
    sends,
    sessions: progress.sessionsStarted,
  };
}

describe('a resync driving Meta’s replace session', () => {
  it('sends each batch once, the last with the flag, when nothing goes wrong', () => {
    const result = run(3, []);
    expect(result).toMatchObject({ status: 'done', sends: 3, sessions: 1 });
    expect(result.audience).toEqual(result.members);
  });

  it('never calls a half-replaced audience done, whatever Meta and the network do', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fault, { maxLength: 40 }), (batches, faults) => {
        const result = run(batches, faults);
        expect(['done', 'failed']).toContain(result.status);
        expect(result.sessions).toBeLessThanOrEqual(settings.maxSessions);
        if (result.status === 'done') expect(result.audience).toEqual(result.members);
      }),
      { numRuns: 2000 },
    );
  });

  it('finishes despite kills and lost answers, fewer in a row than it may fail', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.constantFrom<Fault>('none', 'dropped', 'answer_lost', 'killed', 'throttled'), {
          maxLength: settings.maxAttempts - 1,
        }),
        (batches, faults) => {
          const result = run(batches, faults);
          expect(result.status).toBe('done');
          expect(result.audience).toEqual(result.members);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('starts a new session when Meta closed, lost or finished the one it was sending', () => {
    const p: SessionProgress = { batches: 3, batchesSent: 1, sessionsStarted: 1, sessionStartedAtMs: 0, attempts: 0 };
    const error = (replace: ReplaceErrorKind): BatchAnswer => ({
      kind: 'error',
      classification: 'invalid_request',
      replace,
    });
    expect(afterBatch(p, 2, error('session_timed_out'), 0, settings, Math.random).kind).toBe('new_session');
    expect(afterBatch(p, 2, error('first_batch_missing'), 0, settings, Math.random).kind).toBe('new_session');
    expect(afterBatch(p, 2, error('session_finished'), 0, settings, Math.random).kind).toBe('new_session');
    // the last batch's lost acknowledgement
    expect(afterBatch(p, 3, error('session_finished'), 0, settings, Math.random)).toEqual({
      kind: 'acknowledged',
      batchesSent: 3,
      confirm: true,
    });
    expect(afterBatch(p, 2, error('update_in_progress'), 0, settings, () => 0).kind).toBe('retry');
    expect(afterBatch(p, 2, error('audience_too_large'), 0, settings, Math.random).kind).toBe('fail');
    expect(afterBatch({ ...p, sessionsStarted: 4 }, 2, error('session_timed_out'), 0, settings, Math.random).kind).toBe(
      'fail',
    );
    expect(beforeBatch(p, replaceSessionWindowMs, settings).kind).toBe('new_session');
    expect(beforeBatch(p, replaceSessionWindowMs - 1, settings)).toEqual({ kind: 'send', batchSeq: 2, last: false });
  });

  it('waits for a session that keeps saying "uploading", then calls it unconfirmed, never done', () => {
    expect(whileConfirming(false, 'uploading', 0, 29 * 60_000, settings)).toEqual({
      kind: 'wait',
      atMs: 29.5 * 60_000,
    });
    expect(whileConfirming(false, 'uploading', 0, 30 * 60_000, settings)).toMatchObject({ kind: 'unconfirmed' });
    const p: SessionProgress = { batches: 3, batchesSent: 3, sessionsStarted: 1, sessionStartedAtMs: 0, attempts: 0 };
    expect(afterSessionEnded(415, p, 0, settings).kind).toBe('new_session');
    expect(afterSessionEnded(414, p, 0, settings).kind).toBe('wait');
    expect(afterSessionEnded(200, p, 0, settings).kind).toBe('done');
  });
});
