import {
  dueLookalikes,
  updateLookalike,
  type Db,
  type LookalikeChange,
  type LookalikeRecord,
  type LookalikeStatus,
} from '@canvas/db';
import {
  duplicateLookalike,
  isGraphApiError,
  type AccountLimiter,
  type CustomAudience,
  type LookalikeMaker,
} from '@canvas/meta-graph';
import type { Logger } from '@canvas/runtime';
import type { SyncMetrics } from './sync-metrics.js';

export interface LookalikeCreatorDeps {
  db: Db;
  maker: LookalikeMaker;
  limiter: AccountLimiter;
  metaAccountId: string;
  logger: Logger;
  metrics: SyncMetrics;
  now: () => Date;
  /** How often each lookalike is looked at: its source's size before, Meta's status after creation. */
  intervalMs: number;
  /** Meta's minimum source size (people, approximate_count_lower_bound). */
  minSourceSize: number;
}

const sameSpec = (row: LookalikeRecord, audience: CustomAudience) =>
  audience.lookalike !== undefined &&
  audience.lookalike.originIds.includes(row.sourceAudienceId) &&
  audience.lookalike.countries.join() === row.countries.join() &&
  (audience.lookalike.ratio === undefined || Math.round(audience.lookalike.ratio * 100) === row.ratioPercent);

/** An audience this row may have made: its name (and source, when Meta says), or Meta's own duplicate. */
const madeBy = (row: LookalikeRecord, audience: CustomAudience) =>
  (audience.name === row.name &&
    (audience.subtype === undefined || audience.subtype === 'LOOKALIKE') &&
    (audience.lookalike === undefined ||
      audience.lookalike.originIds.length === 0 ||
      audience.lookalike.originIds.includes(row.sourceAudienceId))) ||
  sameSpec(row, audience);

/**
 * Creates the lookalikes Facebook steps ask for on one Meta ad account, each exactly once: only the
 * replica owning the account runs it; a row is claimed ('creating') before Meta is asked; a row found
 * still claimed (a crash, or an answer that never came) is looked up by name before it is created
 * again; and Meta's own refusal of a duplicate adopts the one Meta has (decision 36).
 */
export function lookalikeCreator(deps: LookalikeCreatorDeps) {
  const { db, maker, limiter, metaAccountId, logger, metrics } = deps;
  const later = (now: Date, factor = 1) => new Date(now.getTime() + deps.intervalMs * factor);
  const move = (row: LookalikeRecord, from: readonly LookalikeStatus[], change: LookalikeChange) =>
    updateLookalike(db, row, from, change, deps.now());

  async function existing(token: string, row: LookalikeRecord): Promise<CustomAudience | undefined> {
    let after: string | undefined;
    do {
      const page = await limiter.schedule(() =>
        maker.listCustomAudiences(token, metaAccountId, { limit: 500, ...(after ? { after } : {}) }),
      );
      const found = page.data.audiences.find((a) => madeBy(row, a));
      if (found) return found;
      after = page.data.after;
    } while (after !== undefined);
    return undefined;
  }

  async function created(row: LookalikeRecord, lookalikeId: string, outcome: 'created' | 'adopted') {
    const now = deps.now();
    await move(row, ['creating'], {
      status: 'created',
      lookalikeId,
      message: null,
      lookalikeCreatedAt: now,
      // Meta's status of the new lookalike is read at the next round
      nextCheckAt: now,
    });
    metrics.lookalikes.inc({ outcome });
    logger.info({ sourceAudienceId: row.sourceAudienceId, lookalikeId, outcome }, 'lookalike audience created');
  }

  /** Asks Meta for a claimed row's lookalike; `uncertain` when an earlier claim may have reached Meta. */
  async function create(token: string, row: LookalikeRecord, uncertain: boolean): Promise<void> {
    if (uncertain) {
      const found = await existing(token, row);
      if (found) return created(row, found.id, 'adopted');
    }
    try {
      const { data } = await limiter.schedule(() =>
        maker.createLookalikeAudience(token, metaAccountId, {
          name: row.name,
          originAudienceId: row.sourceAudienceId,
          countries: row.countries,
          ratio: row.ratioPercent / 100,
        }),
      );
      await created(row, data.id, 'created');
    } catch (error) {
      if (!isGraphApiError(error)) throw error;
      const { metaCode, metaSubcode } = error.details;
      if (metaCode === duplicateLookalike.code && metaSubcode === duplicateLookalike.subcode) {
        const found = await existing(token, row);
        if (found) return created(row, found.id, 'adopted');
      }
      const said = `${metaCode ?? error.code}${metaSubcode ? `/${metaSubcode}` : ''}: ${error.message}`;
      if (error.classification === 'throttled' || error.classification === 'transient') {
        // Meta may have created it: the row stays claimed, and the next look starts with its name
        await move(row, ['creating'], {
          message: `not created yet (${said}); trying again`,
          nextCheckAt: new Date(deps.now().getTime() + Math.max(error.details.retryAfterMs ?? 0, 1000)),
        });
        metrics.lookalikes.inc({ outcome: 'failed' });
        return;
      }
      await move(row, ['creating'], { status: 'refused', message: said, nextCheckAt: later(deps.now()) });
      metrics.lookalikes.inc({ outcome: 'refused' });
      logger.warn({ sourceAudienceId: row.sourceAudienceId, metaCode, metaSubcode }, 'Meta refused a lookalike');
    }
  }

  /** A source big enough is claimed and created; a smaller one waits, with its size shown. */
  async function whenSourceIsBig(token: string, row: LookalikeRecord): Promise<void> {
    const now = deps.now();
    const { data: source } = await limiter.schedule(() =>
      maker.getCustomAudience(token, row.sourceAudienceId, metaAccountId),
    );
    const size = source.approximateCountLowerBound ?? -1;
    const from: LookalikeStatus[] = ['waiting_for_source', 'refused'];
    if (size < deps.minSourceSize) {
      await move(row, from, {
        status: 'waiting_for_source',
        sourceSize: size,
        message:
          `the source audience has ${size < 0 ? 'no count from Meta yet' : `about ${size} people`}; ` +
          `Meta needs at least ${deps.minSourceSize}`,
        nextCheckAt: later(now),
      });
      if (row.status !== 'waiting_for_source') metrics.lookalikes.inc({ outcome: 'waiting' });
      return;
    }
    // claimed before Meta is asked: a crash from here on leaves a row that is looked up before a retry
    const claimed = await move(row, from, {
      status: 'creating',
      claim: true,
      sourceSize: size,
      message: null,
      nextCheckAt: later(now),
    });
    if (claimed) await create(token, { ...row, status: 'creating' }, false);
  }

  /** What Meta says of a created lookalike: delivery and operation status, and its approximate size. */
  async function readStatus(token: string, row: LookalikeRecord): Promise<void> {
    try {
      const { data } = await limiter.schedule(() => maker.getCustomAudience(token, row.lookalikeId!, metaAccountId));
      await move(row, ['created'], {
        metaStatus: {
          ...(data.deliveryStatus ? { deliveryStatus: data.deliveryStatus } : {}),
          ...(data.operationStatus ? { operationStatus: data.operationStatus } : {}),
          ...(data.approximateCountLowerBound === undefined
            ? {}
            : { approximateCount: data.approximateCountLowerBound }),
        },
        message: null,
        nextCheckAt: later(deps.now()),
      });
    } catch (error) {
      if (!isGraphApiError(error) || error.classification !== 'audience_missing') throw error;
      // never created twice: a lookalike deleted in Ads Manager stays deleted
      await move(row, ['created'], {
        message: 'Meta no longer has this lookalike (deleted in Ads Manager?); it is not created again',
        nextCheckAt: later(deps.now(), 12),
      });
    }
  }

  /** One look at every due lookalike of the account, with a usable connection's token. */
  return async function makeLookalikes(token: string): Promise<void> {
    for (const row of await dueLookalikes(db, metaAccountId, deps.now())) {
      try {
        if (row.status === 'created') await readStatus(token, row);
        else if (row.status === 'creating') await create(token, row, true);
        else await whenSourceIsBig(token, row);
      } catch (error) {
        logger.warn({ err: error, sourceAudienceId: row.sourceAudienceId }, 'lookalike step failed; trying later');
        metrics.lookalikes.inc({ outcome: 'failed' });
        const said = isGraphApiError(error) ? { message: `could not ask Meta: ${error.message}` } : {};
        await move(row, [row.status], { ...said, nextCheckAt: later(deps.now()) }).catch(() => undefined);
      }
    }
  };
}
