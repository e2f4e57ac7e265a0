import { compositeKey, driftKinds, liveCanvasStatuses, readStoredDefinition } from '@canvas/canvas';
import {
  adAccountTokenRow,
  adAccountsForMetaId,
  audienceSizeChecks,
  findCanvasVersion,
  recordAudienceSizeCheck,
  recordReconciliationCheck,
  saveStepDrift,
  stepTotalsOnAccount,
  type AudienceSizeCheck,
  type Db,
  type ExpectedMembers,
  type StepVersionTotals,
} from '@canvas/db';
import type { AccountLimiter, AudienceUploader } from '@canvas/meta-graph';
import { pollingLoop, type Logger, type TokenCipher } from '@canvas/runtime';
import { counterDrifts, expectedMembers, judgeAudienceSize, type FoundDrift } from './drift.js';
import type { ReconciliationMetrics } from './reconciliation-metrics.js';

export interface ReconciliationWatchDeps {
  metaAccountId: string;
  db: Db;
  uploader: AudienceUploader;
  /** The account's limiter: audience reads share the quota with uploads. */
  limiter: AccountLimiter;
  cipher: TokenCipher;
  logger: Logger;
  metrics: ReconciliationMetrics;
  now: () => Date;
  /** How often the counters are checked (SYNC_WATCH_INTERVAL). */
  intervalMs: number;
  /** How long an audience's size read serves before Meta is asked again (SYNC_WATCH_AUDIENCE_INTERVAL). */
  audienceIntervalMs: number;
  /** At most this many audiences read per round (SYNC_WATCH_AUDIENCE_READS). */
  audienceReadsPerRound: number;
  /** Below this share of the expected members, Meta's count is a shortfall (SYNC_WATCH_MIN_MATCH_RATE). */
  minMatchRate: number;
}

/**
 * The reconciliation watch of one owned Meta ad account (decision 37): every interval it sums the
 * counters of the account's Facebook steps in one statement and checks that they add up, reads
 * the approximate size of a few audiences whose last read is oldest (each at most once per
 * audience interval, on the account's limiter), and stores what does not add up for the API,
 * the console and `canvas_step_drift_users`. Never silent: a failed round is logged and counted.
 */
export function createReconciliationWatch(deps: ReconciliationWatchDeps) {
  const { metaAccountId, db, metrics } = deps;
  const actions = new Map<string, Map<string, 'add' | 'remove'> | null>();
  const published = new Map<string, { canvas_id: string; step_id: string; kind: string }>();
  const loop = pollingLoop(
    'reconciliation watch',
    async () => {
      try {
        await round();
        metrics.checks.inc({ outcome: 'ok' });
      } catch (error) {
        metrics.checks.inc({ outcome: 'failed' });
        throw error;
      }
      return false;
    },
    { logger: deps.logger, pollIntervalMs: deps.intervalMs, fromStart: true },
  );

  /** The action of a launched step (launched versions never change, so each is read once). */
  async function actionOf(step: StepVersionTotals): Promise<'add' | 'remove' | undefined> {
    const key = compositeKey(step.canvasId, step.version);
    if (!actions.has(key)) {
      const stored = await findCanvasVersion(db, step.canvasId, step.version);
      const read = readStoredDefinition(stored?.definition);
      actions.set(
        key,
        read.ok
          ? new Map(read.definition.steps.flatMap((s) => (s.kind === 'facebook_audience' ? [[s.id, s.action]] : [])))
          : null,
      );
    }
    return actions.get(key)?.get(step.stepId);
  }

  /** Steps grouped by the audience they send to. */
  const byAudience = (steps: readonly StepVersionTotals[]) => {
    const groups = new Map<string, StepVersionTotals[]>();
    for (const step of steps) groups.set(step.audienceId, [...(groups.get(step.audienceId) ?? []), step]);
    return groups;
  };

  /** What the counters allow of each audience now (undefined where a step's action is unknown). */
  async function expectations(groups: Map<string, StepVersionTotals[]>) {
    const expected = new Map<string, ExpectedMembers | undefined>();
    for (const [audienceId, targeting] of groups) {
      const known = new Map(await Promise.all(targeting.map(async (s) => [s, await actionOf(s)] as const)));
      expected.set(
        audienceId,
        expectedMembers(targeting, (s) => known.get(s)),
      );
    }
    return expected;
  }

  async function round(): Promise<void> {
    const now = deps.now();
    const steps = await stepTotalsOnAccount(db, metaAccountId);
    const audiences = byAudience(steps);
    const before = await expectations(audiences);
    const checks = await audienceSizeChecks(db, [...audiences.keys()]);
    const reads = await readDueAudiences(audiences, before, checks, now);
    if (reads.length > 0) {
      // an add Meta applied before its read was pending or synced by then: counted in "most" read after it
      const after = await expectations(byAudience(await stepTotalsOnAccount(db, metaAccountId)));
      for (const read of reads) {
        const least = before.get(read.audienceId)?.least ?? 0;
        const check: AudienceSizeCheck = {
          ...read,
          metaAccountId,
          checkedAt: now,
          expected: { most: Math.max(after.get(read.audienceId)?.most ?? 0, least), least },
          previous: checks.get(read.audienceId)?.expected ?? null,
        };
        await recordAudienceSizeCheck(db, check);
        checks.set(read.audienceId, check);
      }
    }

    const drifts = [...counterDrifts(steps, metaAccountId), ...sizeDrifts(audiences, checks)];
    await saveStepDrift(db, metaAccountId, driftKinds, drifts, now);
    await recordReconciliationCheck(
      db,
      metaAccountId,
      new Set(steps.map((s) => compositeKey(s.canvasId, s.stepId))).size,
      now,
    );
    publish(drifts);
    if (drifts.length > 0)
      deps.logger.warn(
        { drifts: drifts.map((d) => ({ canvasId: d.canvasId, stepId: d.stepId, kind: d.kind, gap: d.gap })) },
        'Facebook steps do not add up',
      );
  }

  /**
   * Reads the sizes of the audiences live canvases send to whose last read is older than the
   * audience interval, oldest first, a few per round, through the connection a step sends with.
   */
  async function readDueAudiences(
    audiences: Map<string, StepVersionTotals[]>,
    expected: Map<string, ExpectedMembers | undefined>,
    checks: Map<string, AudienceSizeCheck>,
    now: Date,
  ): Promise<{ audienceId: string; lowerBound: number | null; upperBound: number | null }[]> {
    const read = deps.uploader.getCustomAudience;
    if (!read || deps.audienceReadsPerRound === 0) return [];
    const lastRead = (audienceId: string) => checks.get(audienceId)?.checkedAt.getTime() ?? -Infinity;
    const due = [...audiences.entries()]
      .filter(([audienceId, targeting]) => {
        const live = targeting.some((s) => (liveCanvasStatuses as readonly string[]).includes(s.canvasStatus));
        return (
          live &&
          expected.get(audienceId) !== undefined &&
          now.getTime() - lastRead(audienceId) >= deps.audienceIntervalMs
        );
      })
      .sort(([a], [b]) => lastRead(a) - lastRead(b))
      .slice(0, deps.audienceReadsPerRound);
    if (due.length === 0) return [];
    const connections = new Map((await adAccountsForMetaId(db, metaAccountId)).map((c) => [c.id, c]));
    const reads = [];
    for (const [audienceId, targeting] of due) {
      const connection = targeting
        .map((s) => connections.get(s.adAccountId))
        .find((c) => c !== undefined && c.status === 'connected');
      if (!connection) {
        metrics.audienceReads.inc({ outcome: 'skipped' });
        continue;
      }
      const token = deps.cipher.decrypt(connection.tokenCiphertext, adAccountTokenRow(connection));
      try {
        const { data } = await deps.limiter.schedule(() => read(token, audienceId, metaAccountId));
        const bound = (value: number | undefined) => (value === undefined || value < 0 ? null : value);
        reads.push({
          audienceId,
          lowerBound: bound(data.approximateCountLowerBound),
          upperBound: bound(data.approximateCountUpperBound),
        });
        metrics.audienceReads.inc({ outcome: 'ok' });
      } catch (error) {
        // the next round tries the audience again; other reads go on
        metrics.audienceReads.inc({ outcome: 'failed' });
        deps.logger.warn({ err: error, audienceId }, 'could not read the size of an audience');
      }
    }
    return reads;
  }

  /** One drift per canvas step that sends to an audience whose last read size is out of line. */
  function sizeDrifts(audiences: Map<string, StepVersionTotals[]>, checks: Map<string, AudienceSizeCheck>) {
    const found: FoundDrift[] = [];
    for (const [audienceId, targeting] of audiences) {
      const check = checks.get(audienceId);
      if (!check) continue;
      const verdict = judgeAudienceSize(check, {
        created: targeting.some((s) => s.created),
        minMatchRate: deps.minMatchRate,
      });
      if (!verdict) continue;
      const seen = new Set<string>();
      for (const step of targeting) {
        const key = compositeKey(step.canvasId, step.stepId);
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({
          canvasId: step.canvasId,
          stepId: step.stepId,
          kind: 'audience_size',
          workspaceId: step.workspaceId,
          metaAccountId,
          expected: verdict.expected,
          actual: verdict.actual,
          gap: verdict.gap,
          detail: {
            audienceId,
            direction: verdict.direction,
            lowerBound: check.lowerBound,
            upperBound: check.upperBound,
            counted: check.expected,
            countedBefore: check.previous,
            minMatchRate: deps.minMatchRate,
            readAt: check.checkedAt.toISOString(),
          },
        });
      }
    }
    return found;
  }

  /** The gauge shows exactly the drifts of the last round: series of drifts gone are removed. */
  function publish(drifts: readonly FoundDrift[]): void {
    const current = new Map(
      drifts.map((d) => [
        compositeKey(d.canvasId, d.stepId, d.kind),
        { labels: { canvas_id: d.canvasId, step_id: d.stepId, kind: d.kind }, gap: d.gap },
      ]),
    );
    for (const [key, labels] of published) if (!current.has(key)) metrics.drift.remove(labels);
    published.clear();
    for (const [key, { labels, gap }] of current) {
      metrics.drift.set(labels, gap);
      published.set(key, labels);
    }
    for (const kind of driftKinds)
      metrics.driftingSteps.set({ ad_account: metaAccountId, kind }, drifts.filter((d) => d.kind === kind).length);
  }

  return {
    start: () => loop.start(),
    /** Stops the rounds; the series it published go with it (the next owner publishes them again). */
    async stop(): Promise<void> {
      await loop.stop();
      for (const labels of published.values()) metrics.drift.remove(labels);
      published.clear();
      for (const kind of driftKinds) metrics.driftingSteps.remove({ ad_account: metaAccountId, kind });
    },
  };
}
