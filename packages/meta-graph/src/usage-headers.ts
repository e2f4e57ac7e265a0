/** The business use cases whose quotas this product spends: audiences, and ad sets. */
export type UseCaseType = 'custom_audience' | 'ads_management';

/** Meta's own view of how much of one of the ad account's quotas is used. */
export interface AccountUsage {
  /** Highest of call count, CPU time and total time, in percent of the allowance. */
  percent: number;
  /** Milliseconds until Meta lets calls through again; 0 when not blocked. */
  regainAccessMs: number;
  tier?: string | undefined;
}

interface BucEntry {
  type?: string;
  call_count?: number;
  total_cputime?: number;
  total_time?: number;
  estimated_time_to_regain_access?: number;
  ads_api_access_tier?: string;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const finite = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Reads `x-business-use-case-usage` (estimated_time_to_regain_access in minutes) and
 * `x-ad-account-usage` (reset_time_duration in seconds) for one ad account.
 */
export function parseUsageHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  adAccountId: string,
  /** The business use case whose quota the call counts against; "*" as adAccountId reads any account. */
  type: UseCaseType = 'custom_audience',
): AccountUsage | undefined {
  const get = (name: string) => {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  let found = false;
  let percent = 0;
  let regainAccessMs = 0;
  let tier: string | undefined;

  const buc = parseJson(get('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    const byAccount = buc as Record<string, BucEntry[] | undefined>;
    const entries =
      adAccountId === '*'
        ? Object.values(byAccount).flatMap((e) => e ?? [])
        : (byAccount[adAccountId] ?? byAccount[`act_${adAccountId}`] ?? []);
    for (const entry of entries) {
      if (entry.type !== undefined && entry.type !== type) continue;
      found = true;
      percent = Math.max(percent, finite(entry.call_count), finite(entry.total_cputime), finite(entry.total_time));
      regainAccessMs = Math.max(regainAccessMs, finite(entry.estimated_time_to_regain_access) * 60_000);
      tier = entry.ads_api_access_tier ?? tier;
    }
  }

  const account = parseJson(get('x-ad-account-usage')) as
    { acc_id_util_pct?: number; reset_time_duration?: number; ads_api_access_tier?: string } | undefined;
  if (account && typeof account === 'object') {
    found = true;
    const pct = finite(account.acc_id_util_pct);
    percent = Math.max(percent, pct);
    if (pct >= 100) regainAccessMs = Math.max(regainAccessMs, finite(account.reset_time_duration) * 1000);
    tier = tier ?? account.ads_api_access_tier;
  }
  return found ? { percent, regainAccessMs, tier } : undefined;
}
