export {
  createDatabase,
  createServiceDatabase,
  connectClient,
  pingDatabase,
  defaultDatabaseUrl,
  type Db,
  type Tx,
  type Executor,
  type DatabaseOptions,
  type PgClient,
} from './connection.js';
export { migrate, ensureDatabase, readMigrations, defaultMigrationsDir, type MigrationFile } from './migrator.js';
export { DataError } from './errors.js';
export type { Database } from './schema.js';
export {
  insertWorkspace,
  findWorkspace,
  setAudienceNamePrefix,
  existingWorkspaceIds,
  listWorkspaceIds,
  type Workspace,
  lockWorkspace,
  setBlockLaunchOnQuotaRisk,
} from './workspace.repository.js';
export {
  insertApiKey,
  findKeyOwner,
  listApiKeys,
  countActiveKeys,
  revokeApiKey,
  type ApiKey,
  type ApiKeyOwner,
} from './api-key.repository.js';
export {
  insertAdAccount,
  listAdAccounts,
  findAdAccount,
  findAdAccountByMetaId,
  findDefaultAdAccount,
  adAccountsForMetaId,
  updateAdAccountToken,
  setAdAccountStatus,
  recordTokenCheck,
  setDefaultAdAccount,
  deleteAdAccount,
  liveCanvasesUsingAdAccount,
  type AdAccount,
  type AdAccountWithToken,
  type AdAccountStatus,
} from './ad-account.repository.js';
export {
  insertCanvas,
  findCanvas,
  lockCanvas,
  listCanvases,
  findCanvasVersion,
  listCanvasVersions,
  saveDraft,
  saveResolved,
  markLaunched,
  transitionCanvas,
  resolvedByEarlierVersions,
  liveCanvasVersions,
  liveCanvasIds,
  canvasStatuses,
  versionById,
  canvasEntrants,
  canvasChangedChannel,
  type CanvasRecord,
  type CanvasStatus,
  type VersionState,
  type ResolvedSteps,
  type CanvasVersionRecord,
  type LiveCanvasVersion,
} from './canvas.repository.js';
export { counterShards } from './counter-shards.js';
export {
  addCounters,
  readCounters,
  readAllCounters,
  type CounterDelta,
  type CounterValue,
} from './counter.repository.js';
export { readCounterSeries, type SeriesPoint } from './counter-series.repository.js';
export {
  entriesForUser,
  toAudienceEntry,
  insertAudienceEntries,
  type AudienceEntry,
  type AudienceEntryStatus,
  type EntryError,
  type NewAudienceEntry,
} from './audience-entry.repository.js';
export { type UserRef } from './user-ref.js';
export { lockPartitionOffset, storePartitionOffset, storedOffsets } from './consumer-offset.repository.js';
export { markProcessed, pruneProcessedMessages } from './processed-message.repository.js';
export { type StoredProfile, lockProfiles, lockProfilesSkipLocked, saveProfiles } from './profile.repository.js';
export { type StoredJourney, loadJourneys, saveJourneys, findJourney } from './journey.repository.js';
export {
  type TimerChange,
  applyTimerChanges,
  type ClaimedTimer,
  claimDueTimers,
  workspacesWithDueTimers,
  dueTimerStats,
} from './timer.repository.js';
export { workspaceRotation, type WorkspaceRotation } from './workspace-rotation.js';
export { lockEntryCounts, addEntrants } from './entry-count.repository.js';
export {
  dueGroups,
  dueEntriesPage,
  markSynced,
  markRefused,
  markErrored,
  deferEntries,
  notePendingReason,
  expireOverdue,
  expireHeld,
  pendingStats,
  connectedMetaAccounts,
  audiencesOnAccount,
  readPacing,
  savePacing,
  entryAttempts,
  groupKey,
  errorPendingOfConnection,
  type EntryGroup,
  type DueEntry,
  type Pacing,
} from './audience-sync.repository.js';
export {
  maintainHistoryPartitions,
  recordHistory,
  historyDays,
  type HistoryEvent,
} from './behaviour-history.repository.js';
export {
  insertSegment,
  findSegment,
  listSegments,
  updateSegment,
  deleteSegment,
  canvasesUsingSegment,
  segmentsByIds,
  type SegmentRecord,
} from './segment.repository.js';
export {
  candidateCondition,
  loadSegmentMembers,
  loadHistories,
  scanCandidates,
  scanSample,
  profileCount,
  type SampleSize,
  type UserIdRange,
  type HistoryNeeds,
} from './segment-scan.repository.js';
export { rollupCounts, scanCounted, countedKey, countedMembers } from './segment-counts.repository.js';
export {
  scheduleSegmentRun,
  lastSegmentRuns,
  claimOpenRun,
  workspacesWithOpenRuns,
  materialiseRun,
  lockNextCandidates,
  advanceRun,
  listSegmentRuns,
  type SegmentRunRecord,
  type RunSlice,
  type RunCounting,
  type ClaimedRun,
} from './segment-run.repository.js';
export {
  recordAudienceMembers,
  audienceMembersAmong,
  handOffRemovals,
  type AudienceMember,
} from './segment-audience.repository.js';
export {
  userHash,
  startErasure,
  advanceErasures,
  findErasure,
  suppressedAmong,
  type Erasure,
  type ErasureRemoval,
  type ErasureStatus,
  type RemovalStatus,
} from './erasure.repository.js';
export { handOffRemovalsEverywhere, handOffOptOutRemovals } from './audience-removal.repository.js';
export {
  insertFacebookLogin,
  claimStartedLogin,
  finishLogin,
  findFacebookLogin,
  markLoginConnected,
  purgeExpiredLoginTokens,
  type FacebookLogin,
  type FacebookLoginStatus,
  type ReachableAccount,
} from './facebook-login.repository.js';
export {
  noteMissingAudience,
  clearMissingAudience,
  missingAmong,
  type MissingAudience,
} from './missing-audience.repository.js';
export {
  noteAudienceHealth,
  clearAudienceHealth,
  audienceHealthAmong,
  audienceHealthProblems,
  type AudienceHealth,
  type AudienceHealthProblem,
} from './audience-health.repository.js';
export { createdAudiencesOfAccount, type CreatedAudience } from './created-audience.repository.js';
export {
  requestLookalikes,
  dueLookalikes,
  lookalikesOf,
  updateLookalike,
  lookalikeStatuses,
  type LookalikeKey,
  type LookalikeRecord,
  type LookalikeRequestRow,
  type LookalikeStatus,
  type LookalikeChange,
  type LookalikeMetaStatus,
} from './lookalike-audience.repository.js';
export {
  countPartitionAttempt,
  clearPartitionAttempts,
  listPartitionAttempts,
  type PartitionAttempt,
  type PartitionRef,
} from './partition-attempt.repository.js';
export { skipPartitionOffset, type OffsetSkip, type OffsetSkipResult } from './offset-skip.repository.js';
export { failureKind, sqlStateOf, type FailureKind } from './failure-kind.js';
export { adAccountTokenRow, facebookLoginTokenRow, type SealedTokenRow } from './token-row.js';
export { tokensInFormat, replaceSealedToken, type StoredToken } from './sealed-token.repository.js';
export { limitStatementTime, isStatementTimeout } from './statement-timeout.js';
export {
  startRedrive,
  listRedrives,
  findRedrive,
  type Redrive,
  type RedriveMoved,
  type RedriveProgress,
  type RedriveRequest,
  type RedriveResult,
  type UnusableConnection,
} from './redrive.repository.js';
export {
  stepTotalsOnAccount,
  watchedMetrics,
  saveStepDrift,
  driftOnAccount,
  driftOfCanvas,
  recordReconciliationCheck,
  reconciliationChecks,
  audienceSizeChecks,
  recordAudienceSizeCheck,
  type StepVersionTotals,
  type StepDrift,
  type AudienceSizeCheck,
  type ExpectedMembers,
} from './reconciliation.repository.js';
export { optedOutOfAds } from './ad-opt-out.sql.js';
export {
  insertDryRun,
  findDryRun,
  listDryRuns,
  latestDoneDryRun,
  openDryRuns,
  dryRunCostSince,
  claimDryRun,
  workspacesWithClaimableDryRuns,
  recordDryRunProgress,
  finishDryRun,
  releaseDryRun,
  cancelDryRun,
  type DryRunRecord,
  type ClaimedDryRun,
} from './dry-run.repository.js';
export { dryRunStatuses, openDryRunStatuses, type DryRunStatus } from './dry-run-status.js';
export {
  openReplayRange,
  type ReplayPage,
  type ReplayPageRow,
  type ReplayPageUser,
  type ReplayRange,
  type ReplayRangeRequest,
  type ReplayReadRequest,
} from './dry-run-history.repository.js';
export { recordAccountCapacity, findAccountCapacity, type AccountCapacity } from './account-capacity.repository.js';
export { recentStepLoads, pendingStepLoads, type StepLoad } from './account-load.repository.js';
export {
  audienceSharers,
  dueResyncs,
  endResync,
  findResync,
  latestResyncs,
  listResyncs,
  requestResyncs,
  resyncingAudiences,
  updateResync,
  type DueResync,
  type Resync,
  type ResyncChange,
  type ResyncError,
  type ResyncTarget,
} from './audience-resync.repository.js';
export {
  completeResync,
  markResyncRowsRefused,
  resyncBatchRows,
  settleResyncBatch,
  snapshotResyncMembers,
  type ResyncRow,
} from './audience-resync-upload.repository.js';
export { coordinatorTables, distributionColumn, referenceTables, undistributedReason } from './distribution.js';
