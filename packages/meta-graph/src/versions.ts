/**
 * Marketing API versions with Meta's release and expiry dates, the one table the product reads.
 * Source: https://developers.facebook.com/documentation/ads-commerce/marketing-api/marketing-api-changelog/versions
 * (as read 2026-12-07). `tested`: the contract tests run against it; the default is the newest tested one.
 */
export interface MarketingApiVersion {
  version: string;
  /** UTC dates, YYYY-MM-DD. */
  released: string;
  /** Meta's "Expiration Date"; absent while the page says TBD. */
  expires?: string;
  tested: boolean;
}

export const marketingApiVersions: readonly MarketingApiVersion[] = [
  { version: 'v27.0', released: '2026-11-04', tested: false },
  { version: 'v26.0', released: '2026-07-29', tested: false },
  { version: 'v25.0', released: '2026-02-18', expires: '2027-02-23', tested: true },
  { version: 'v24.0', released: '2025-10-08', expires: '2026-11-10', tested: true },
  { version: 'v23.0', released: '2025-05-29', expires: '2026-06-09', tested: false },
  { version: 'v22.0', released: '2025-01-21', expires: '2026-02-19', tested: false },
];

export function parseVersion(version: string): number | undefined {
  const match = /^v(\d+)\.(\d+)$/.exec(version);
  return match ? Number(match[1]) * 1000 + Number(match[2]) : undefined;
}

const newestTested = marketingApiVersions.find((v) => v.tested);
if (!newestTested) throw new Error('the version table names no tested version');

/** The newest Marketing API version the product is tested against. */
export const defaultGraphVersion = newestTested.version;

const dayMs = 86_400_000;
const oldestListed = Math.min(...marketingApiVersions.map((v) => parseVersion(v.version) ?? Infinity));

export type VersionState = 'served' | 'expired' | 'unreleased' | 'unknown';

export interface VersionLifetime {
  version: string;
  state: VersionState;
  /** YYYY-MM-DD, or null while Meta has not set one. */
  expires: string | null;
  /** Whole days until expiry (0 once expired), or null without an expiry date. */
  daysLeft: number | null;
}

/** Where a version stands on `now`; a version expires at 00:00 UTC of its expiry date (emulator choice). */
export function versionLifetime(version: string, now: Date): VersionLifetime {
  const entry = marketingApiVersions.find((v) => v.version === version);
  if (!entry) {
    const parsed = parseVersion(version);
    // Older than the table: long expired at Meta.
    const state = parsed !== undefined && parsed < oldestListed ? 'expired' : 'unknown';
    return { version, state, expires: null, daysLeft: state === 'expired' ? 0 : null };
  }
  const at = now.getTime();
  const expiresAt = entry.expires === undefined ? undefined : Date.parse(`${entry.expires}T00:00:00Z`);
  const daysLeft = expiresAt === undefined ? null : Math.max(0, Math.ceil((expiresAt - at) / dayMs));
  const state: VersionState =
    at < Date.parse(`${entry.released}T00:00:00Z`)
      ? 'unreleased'
      : expiresAt !== undefined && at >= expiresAt
        ? 'expired'
        : 'served';
  return { version, state, expires: entry.expires ?? null, daysLeft };
}

/** The newest version served on `now`, which Meta names in its 2635 answer. */
export function newestServedVersion(now: Date): string {
  return (
    marketingApiVersions.find((v) => versionLifetime(v.version, now).state === 'served')?.version ?? defaultGraphVersion
  );
}

/** The gauge both services export: days until Meta expires the version in use. */
export const graphVersionDaysLeftMetric = 'canvas_graph_api_version_days_left';

/** The gauge of days left on a version, as every service exports it (-1 while Meta has set no date). */
export const graphVersionGauge = (version: string, now: () => Date) => ({
  metric: {
    name: graphVersionDaysLeftMetric,
    help: 'Days until Meta expires the Marketing API version in use (-1 while Meta has set no date)',
    labels: { version },
  },
  read: () => versionLifetime(version, now()).daysLeft ?? -1,
});
