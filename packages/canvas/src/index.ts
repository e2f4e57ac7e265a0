export { matchKeys, identifierKeys, isMatchKey, type MatchKey } from './model/match-keys.js';
export { bareAdAccountId, actAdAccountId } from './model/ad-account-id.js';
export { Duration, durationMs } from './model/duration.js';
export {
  UserCondition,
  EventCondition,
  Operator,
  operators,
  userFieldPattern,
  type ConditionValue,
} from './model/condition.schema.js';
export {
  Step,
  StepId,
  DelayStep,
  AudienceSplitStep,
  RandomSplitStep,
  FacebookAudienceStep,
  ExitStep,
  AudienceRef,
  type StepKind,
} from './model/step.schema.js';
export { CanvasDefinition, Entry, type CanvasDefinitionInput } from './model/canvas.schema.js';
export {
  LookalikeRequest,
  ValueTrait,
  lookalikeCountry,
  lookalikeRatio,
  lookalikeSpec,
  maxLookalikeCountries,
  ratioPercent,
  type LookalikeSpec,
} from './model/lookalike.js';
export { validateCanvas, type CanvasValidation } from './validate/validate-canvas.js';
export { problemCodes, pointer, type Problem, type ProblemCode } from './validate/problem.js';
export { stepEdges } from './validate/graph-problems.js';
export { decideEntry, decideSegmentEntry, startJourney, inControlGroup, type EntryDecision } from './engine/entry.js';
export { advanceFrom, fireTimer } from './engine/advance.js';
export { applyJourneyEvent } from './engine/journey-events.js';
export { userMatches, eventMatches, test as testCondition } from './engine/conditions.js';
export { userField } from './engine/profile-fields.js';
export { stableHash, percentile } from './engine/hash.js';
export { nextTimeOfDay } from './engine/time-of-day.js';
export {
  canvasLevel,
  type CanvasVersion,
  type Journey,
  type JourneyStatus,
  type Profile,
  type UserEvent,
  type Metric,
  type Effect,
  type Outcome,
} from './engine/types.js';
export { assertNever } from './assert-never.js';
export {
  parseEvent,
  errorClass,
  deadLetterReasons,
  type DeadLetterReason,
  type ParsedEvent,
  type ParseResult,
  type RawMessage,
} from './events/parse-event.js';
export { IdentifyMessage, TrackMessage } from './events/user-event.schema.js';
export {
  planEvents,
  planTimers,
  planSegmentEntries,
  emptyPlan,
  journeyOf,
  type Plan,
  type BatchState,
  type CanvasLookup,
  type LiveCanvas,
  type ProfileState,
  type TimerWrite,
  type Handoff,
  type CountChange,
  type DueTimer,
} from './engine/plan.js';
export {
  findUnstorableText,
  describeUnstorable,
  unstorableKind,
  type UnstorableText,
  type UnstorableKind,
} from './text/storable-text.js';
export {
  journeyStatuses,
  journeyMetrics,
  audienceStatuses,
  stepMetrics,
  removalMetrics,
  entryOrigins,
  statusMetric,
  invalidEntriesMetric,
  noLookalikeValueMetric,
  type EntryOrigin,
  type AudienceStatus,
  type StepMetric,
} from './engine/counters.js';
export { abandonedCartExample, cartAbandonersSegmentExample, weeklySegmentCanvasExample } from './model/examples.js';
export {
  readStoredDefinition,
  toStoredDefinition,
  currentDefinitionVersion,
  type StoredDefinitionRead,
} from './model/stored-definition.js';
export { rawMatchValue, traitText, deviceAdvertisingId, type MatchSource } from './model/match-source.js';
export { adsOptedOut, adOptOutSignals } from './model/ad-consent.js';
export {
  SegmentDefinition,
  SegmentCondition,
  BehaviourCondition,
  BehaviourWindow,
  ReachabilityCondition,
  type SegmentDefinitionInput,
} from './segment/segment.schema.js';
export { segmentMatches, occurrences, windowBounds, type HistoryItem, type SegmentMember } from './segment/evaluate.js';
export { validateSegment, maxSegmentDepth, type SegmentValidation } from './segment/validate-segment.js';
export {
  reachabilityTraits,
  emailUnsubscribed,
  smsUnsubscribed,
  identifierUsable,
  usableIdentifiers,
} from './segment/reachability.js';
export { candidateFilter, historyNeeded, type CandidateFilter } from './segment/candidates.js';
export { rollupCountable, type CountedBehaviour } from './segment/rollup-counts.js';
export { followingChanges } from './segment/following.js';
export { tallyReach, emptyReach, scaleReach, type Reach, type ScaledReach } from './segment/reach.js';
export { SegmentRuns, SegmentEntry, weekdays } from './schedule/segment-runs.schema.js';
export { nextRunAfter, dueRun } from './schedule/next-run.js';
export { TimeZone } from './schedule/time-zone.js';
export { seriesBuckets, maxSeriesBuckets, type SeriesInterval } from './schedule/series-buckets.js';
export { compositeKey, eventNameKey, journeyKey, keyParts, messageKey, userKey } from './keys/keys.js';
export { jsonDepth, findTooDeep, maxJsonDepth } from './text/json-depth.js';
export { entryErrors, entryErrorCodes, type EntryErrorCode } from './model/entry-errors.js';
export {
  redriveOfCode,
  redrivableCodes,
  redriveSkips,
  driftKinds,
  type RedriveSkip,
  type DriftKind,
} from './model/redrive.js';
export { canvasStatuses, liveCanvasStatuses, type CanvasStatus, type LiveCanvasStatus } from './model/canvas-status.js';
export { CanvasError, errorCode, hasCode } from './errors.js';
export { handoffOutcome, type HandoffFacts, type HandoffOutcome } from './engine/handoff-outcome.js';
export { profileFields, behaviourCountOps, reachabilityKinds, audienceDescriptionMax } from './model/vocabulary.js';
export { Replay, type ReplayEvent, type ReplayOptions, type ReplayUser, type UsableCheck } from './dry-run/replay.js';
export { CapCounter, CapCutoff } from './dry-run/cap-admission.js';
export { SendTicks, type StepSends } from './dry-run/send-ticks.js';
export { segmentRunsIn } from './dry-run/segment-runs.js';
export type {
  BranchNumbers,
  FacebookProjection,
  ReplayResult,
  ReplayTotals,
  StepProjection,
} from './dry-run/replay-result.js';
export {
  openResyncStatuses,
  resyncModes,
  resyncStatuses,
  type ResyncMode,
  type ResyncStatus,
} from './model/resync-status.js';
