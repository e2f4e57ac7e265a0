import type { GraphFailure } from './graph-errors.js';
import { graphError } from './graph-errors.js';
import { QuotaMeter } from './quota-meter.js';
import type { SandboxState } from './state.js';

type Answer = GraphFailure | { status: 200; body: unknown; headers?: Record<string, string> };

// one meter per sandbox, apart from the custom_audience meter
const meters = new WeakMap<SandboxState, QuotaMeter>();

const exhausted = () =>
  graphError(
    80004,
    '(#80004) There have been too many calls to this ad-account. Wait a bit and try ' +
      'again. For more info, please refer to ' +
      'https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.',
    { subcode: 2446079 },
  );

/**
 * Runs an ad set call against the account's ads_management quota (its own budget, not the
 * custom_audience one) and reports it in `x-business-use-case-usage` under type ads_management.
 */
export function adsManagementMetered(state: SandboxState, accountId: string, work: () => Answer): Answer {
  const meter = meters.get(state) ?? meters.set(state, new QuotaMeter(state.clock)).get(state)!;
  const quota = state.settings.adsManagementQuota;
  const allowed = meter.tryConsume(accountId, quota);
  const usage = meter.snapshot(accountId, quota);
  const realMinutes = allowed ? 0 : state.clock.toRealMs(usage.resetInMs) / 60_000;
  const headers = {
    'x-business-use-case-usage': JSON.stringify({
      [accountId]: [
        {
          type: 'ads_management',
          call_count: allowed ? usage.percent : 100,
          total_cputime: 0,
          total_time: 0,
          estimated_time_to_regain_access: state.clock.timeScale === 1 ? Math.ceil(realMinutes) : realMinutes,
        },
      ],
    }),
  };
  const answer = allowed ? work() : exhausted();
  return { ...answer, headers: { ...answer.headers, ...headers } };
}
