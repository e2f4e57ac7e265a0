export { createAudienceSync, type AudienceSync, type SyncDeps } from './sync.js';
export { syncConfigSchema, type SyncConfig } from './config.js';
export { failureAction, backoffMs, type FailureAction, type RetryPolicy } from './failure-policy.js';
