import { replaceSessionWindowMs } from '@canvas/meta-graph';
import { addMembers, type RowCheck, type SandboxAudience } from './audience-store.js';
import type { ScaledClock } from './clock.js';
import type { GraphFailure } from './graph-errors.js';
import { replaceErrors } from './replace-errors.js';

/** What a `/usersreplace` request says about its session. */
export interface ReplaceBatch {
  sessionId: string;
  batchSeq: number;
  lastBatchFlag: boolean;
  estimatedNumTotal?: number | undefined;
}

export interface ReplaceSettings {
  /** Sandbox time a session spends "processing" after its last batch before the audience is replaced. */
  processingMs: number;
  /** Meta refuses to replace audiences of 100 million members or more (1870144). */
  maxMembers: number;
}

interface ReplaceSession {
  audienceId: string;
  sessionId: string;
  schema: string[];
  /** Sandbox time of the (latest) batch 1: Meta's 90 minutes run from it. */
  startedAt: number;
  lastSeq: number;
  received: number;
  invalid: number;
  rows: Record<string, string>[];
  state: 'open' | 'processing' | 'finished' | 'stuck';
  closedBy?: 'last_batch' | 'timeout';
  processedAt?: number;
  endedAt?: number;
  matched: number;
}

/** A session as the sessions edge shows it: every number a numeric string, as Meta sends them. */
export interface SessionView {
  session_id: string;
  start_time: string;
  end_time: string;
  num_received: string;
  num_invalid_entries: string;
  num_matched: string;
  progress: string;
  stage: string;
}

export type ReplaceAnswer =
  GraphFailure | { accepted: true; received: number; invalid: number; samples: Record<string, string> };

/**
 * Meta's replace sessions for each audience, on the sandbox clock: batch_seq 1 starts a replace,
 * later batches (any number but 1, repeats allowed) add to it, last_batch_flag closes it, and 90
 * minutes after the first batch it closes by itself; a closed session replaces the audience's
 * members with what it received. One replace at a time per audience. A test can leave the next
 * sessions "stuck": they keep reporting stage `uploading` after their last batch and never apply.
 */
export class ReplaceSessions {
  private readonly byAudience = new Map<string, ReplaceSession[]>();
  private readonly stuckNext = new Map<string, number>();

  constructor(
    private readonly clock: ScaledClock,
    private readonly settings: () => ReplaceSettings,
  ) {}

  /** The next `count` sessions of the audience that receive their last batch stay `uploading` for ever. */
  leaveStuck(audienceId: string, count: number): void {
    if (count > 0) this.stuckNext.set(audienceId, count);
    else this.stuckNext.delete(audienceId);
  }

  /** Closes sessions whose 90 minutes have passed and applies those whose processing is over. */
  refresh(audience: SandboxAudience): void {
    const now = this.clock.now();
    for (const session of this.byAudience.get(audience.id) ?? []) {
      if (session.state === 'open' && now >= session.startedAt + replaceSessionWindowMs) {
        // Meta replaces the audience with whatever arrived and discards later batches
        session.closedBy = 'timeout';
        this.close(session, session.startedAt + replaceSessionWindowMs);
      }
      if (session.state === 'processing' && now >= (session.processedAt ?? 0)) this.apply(audience, session);
    }
  }

  /** True while a replace runs: a session takes batches or is being processed (operation_status 414). */
  inProgress(audienceId: string): boolean {
    return (this.byAudience.get(audienceId) ?? []).some((s) => s.state === 'open' || s.state === 'processing');
  }

  /** One `/usersreplace` batch, its rows already checked. */
  receive(audience: SandboxAudience, batch: ReplaceBatch, schema: string[], checked: RowCheck): ReplaceAnswer {
    this.refresh(audience);
    if (audience.members.size >= this.settings().maxMembers) return replaceErrors.audienceTooLarge();
    const sessions = this.byAudience.get(audience.id) ?? [];
    this.byAudience.set(audience.id, sessions);
    const running = sessions.find((s) => s.state === 'open' || s.state === 'processing');
    const same = sessions.find((s) => s.sessionId === batch.sessionId);
    const rows = checked.valid.length + checked.invalid;
    let session: ReplaceSession;
    if (batch.batchSeq === 1) {
      if (running && running.sessionId !== batch.sessionId) return replaceErrors.updateInProgress();
      if (same && same.state !== 'open') return closedError(same);
      // batch 1 starts the replace; sent again on an open session, it starts that session over
      session = same ?? {
        audienceId: audience.id,
        sessionId: batch.sessionId,
        schema,
        startedAt: 0,
        lastSeq: 0,
        received: 0,
        invalid: 0,
        rows: [],
        state: 'open',
        matched: -1,
      };
      Object.assign(session, { schema, startedAt: this.clock.now(), received: 0, invalid: 0, rows: [] });
      if (!same) sessions.push(session);
    } else {
      if (!same) return replaceErrors.firstBatchMissing();
      if (same.state !== 'open') return closedError(same);
      if (same.schema.join(',') !== schema.join(',')) return replaceErrors.schemaChanged();
      session = same;
    }
    session.lastSeq = batch.batchSeq;
    session.received += rows;
    session.invalid += checked.invalid;
    session.rows.push(...checked.valid);
    if (batch.lastBatchFlag) {
      session.closedBy = 'last_batch';
      this.close(session, this.clock.now());
    }
    return { accepted: true, received: session.received, invalid: checked.invalid, samples: checked.samples };
  }

  /** The audience's sessions, newest first, or the one with this id. */
  list(audienceId: string, sessionId?: string): SessionView[] {
    const sessions = [...(this.byAudience.get(audienceId) ?? [])].reverse();
    return sessions.filter((s) => sessionId === undefined || s.sessionId === sessionId).map(view);
  }

  clear(): void {
    this.byAudience.clear();
    this.stuckNext.clear();
  }

  private close(session: ReplaceSession, at: number): void {
    const stuck = this.stuckNext.get(session.audienceId) ?? 0;
    if (session.closedBy === 'last_batch' && stuck > 0) {
      this.leaveStuck(session.audienceId, stuck - 1);
      session.state = 'stuck';
      return;
    }
    session.state = 'processing';
    session.endedAt = at;
    session.processedAt = at + this.settings().processingMs;
  }

  private apply(audience: SandboxAudience, session: ReplaceSession): void {
    audience.members.clear();
    audience.index.clear();
    audience.addedAt.clear();
    addMembers(audience, session.rows);
    audience.updatedAt = this.clock.now();
    session.matched = audience.members.size;
    session.state = 'finished';
    session.rows = [];
  }
}

const closedError = (session: ReplaceSession): GraphFailure =>
  session.closedBy === 'timeout' ? replaceErrors.sessionTimedOut() : replaceErrors.sessionFinished();

const seconds = (ms: number | undefined) => String(ms === undefined ? 0 : Math.floor(ms / 1000));

function view(session: ReplaceSession): SessionView {
  const finished = session.state === 'finished';
  return {
    session_id: session.sessionId,
    start_time: seconds(session.startedAt),
    // a stuck session reports what Meta reported in facebook-java-business-sdk issue 492
    end_time: finished || session.state === 'processing' ? seconds(session.endedAt) : '0',
    num_received: String(session.received),
    num_invalid_entries: String(session.invalid),
    num_matched: String(finished ? session.matched : -1),
    progress: finished ? '100' : session.state === 'processing' ? '50' : '0',
    stage: session.state === 'open' || session.state === 'stuck' ? 'uploading' : session.state,
  };
}
