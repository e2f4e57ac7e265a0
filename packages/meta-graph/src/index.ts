export { matchKeys, identifierKeys, unhashedKeys, isMatchKey, isHashedKey, type MatchKey } from './match-keys.js';
export { sha256Hex, isSha256Hex } from './hash.js';
export { normalizeMatchValue, matchValue, type MatchValue, type NormalizeContext } from './match-value.js';
export { matchRow, rawMatchValue, type MatchRow, type MatchSource } from './profile-match.js';
export { hasUsableIdentifier } from './match-usable.js';
export {
  GraphApiError,
  classifyGraphError,
  isGraphApiError,
  errorClasses,
  type ErrorClass,
  type GraphErrorBody,
} from './errors.js';
export { parseUsageHeaders, type AccountUsage, type UseCaseType } from './usage-headers.js';
export { pacedAdSetCalls, type AdSetPacingOptions } from './ad-set-pacing.js';
export {
  asksLimitedDataUse,
  dataProcessingColumns,
  isDataProcessingColumn,
  limitedDataUseCells,
  limitedDataUseSignals,
  withLimitedDataUse,
  type DataProcessingColumn,
  type PayloadColumn,
} from './limited-data-use.js';
export {
  lookalikeValue,
  lookalikeValueColumn,
  withLookalikeValue,
  type LookalikeValueColumn,
} from './lookalike-value.js';
export { buildUsersPayloads, maxUsersPerRequest, type UsersPayload } from './payload.js';
export {
  defaultGraphVersion,
  graphVersionDaysLeftMetric,
  graphVersionGauge,
  marketingApiVersions,
  newestServedVersion,
  parseVersion,
  versionLifetime,
  type MarketingApiVersion,
  type VersionLifetime,
  type VersionState,
} from './versions.js';
export { createGraphClient, type GraphClient, type GraphClientOptions } from './client.js';
export { type GraphResult, type GraphCall } from './transport.js';
export { actAdAccountId, bareAdAccountId } from './ids.js';
export { type PageRequest } from './paging.js';
export { type TokenInfo, type AdAccountInfo } from './tokens.js';
export { type CustomAudience, type NewCustomAudience } from './custom-audiences.js';
export {
  duplicateLookalike,
  lookalikeSpecBody,
  readLookalikeSpec,
  type LookalikeOf,
  type NewLookalikeAudience,
} from './lookalikes.js';
export { type UsersResult, type UploadSession } from './users.js';
export { invalidRows, type InvalidRow } from './invalid-samples.js';
export { withTransientRetry, type TransientRetryOptions } from './retry.js';
export { AccountLimiter, paceFactor, bucketFor, type AccountLimiterOptions } from './limiter.js';
export { customAudienceQuota } from './quota.js';
export {
  planQuota,
  sustainedRequestsPerHour,
  type QuotaPlan,
  type QuotaPlanInput,
  type SyncCapacity,
  type HourlyLoad,
} from './quota-plan.js';
export type { AdAccountDirectory, AudienceReplacer, AudienceUploader, LookalikeMaker } from './port.js';
export { graphApiSettings } from './config.js';
export { type AdSet, type Targeting, type AdSetCalls } from './ad-sets.js';
export { linkAudienceToAdSet, targetingWithAudience, type LinkOutcome, type AdSetTargetingApi } from './ad-set-link.js';
export {
  type AppCredentials,
  type IssuedToken,
  type ReachableAdAccount,
  type FacebookLoginCalls,
} from './facebook-login.js';
export {
  replaceErrorKind,
  replaceErrorKinds,
  replaceOperationStatus,
  replaceSessionWindowMs,
  type ReplaceErrorKind,
} from './replace-errors.js';
export { uploadSessionEnded, toUploadSessionState, type UploadSessionState } from './users-replace.js';
