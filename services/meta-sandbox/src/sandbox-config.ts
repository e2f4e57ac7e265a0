/** What can be tuned in a running sandbox (PUT /_sandbox/config). */
export interface SandboxSettings {
  /** A floor on top of Meta's calendar (which the sandbox clock applies); v0.0 adds none. */
  minVersion: string;
  /** Removals are refused while an audience holds fewer members than this (Meta: 200/1870047). */
  minRemovalSize: number;
  /** delivery_status is 300 (too small) below this many members. */
  minDeliverySize: number;
  /** custom_audience quota per rolling hour: min(cap, base + perAudience × audiences). */
  quotaBase: number;
  quotaPerAudience: number;
  quotaCap: number;
  /** Customer-file audiences per ad account (Meta: 500). */
  maxAudiencesPerAccount: number;
  /** Lookalike audiences per ad account (Meta: 500). */
  maxLookalikesPerAccount: number;
  /** A lookalike's source needs this many people (Meta: 100 from one country; here the whole audience). */
  minLookalikeSourceSize: number;
  /** Sandbox milliseconds a new lookalike stays populating (count -1, operation_status 441); Meta: 1–6 hours. */
  lookalikePopulateMs: number;
  /** ads_management calls (ad sets) per rolling hour; Meta: 100,000 + 40 × active ads (no ads here). */
  adsManagementQuota: number;
  maxRowsPerRequest: number;
  /** Sandbox time a replace session is "processing" after its last batch before the audience is replaced. */
  replaceProcessingMs: number;
  /** Audiences this large cannot be replaced (Meta: 100 million, 2650/1870144). */
  maxReplaceMembers: number;
  /** How many requests the log keeps. */
  requestLogSize: number;
}

export const defaultSettings: SandboxSettings = {
  minVersion: 'v0.0',
  minRemovalSize: 100,
  minDeliverySize: 100,
  quotaBase: 190_000,
  quotaPerAudience: 40,
  quotaCap: 700_000,
  maxAudiencesPerAccount: 500,
  maxLookalikesPerAccount: 500,
  minLookalikeSourceSize: 100,
  lookalikePopulateMs: 3_600_000,
  adsManagementQuota: 100_000,
  maxRowsPerRequest: 10_000,
  replaceProcessingMs: 2_000,
  maxReplaceMembers: 100_000_000,
  requestLogSize: 200_000,
};
