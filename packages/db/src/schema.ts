import type {
  AudienceStatus,
  CanvasStatus,
  EntryOrigin,
  JourneyStatus,
  ResyncStatus,
  StepMetric,
} from '@canvas/canvas';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { DryRunStatus } from './dry-run-status.js';

/** Kysely's view of the tables in migrations/. Rows never leave this package. */
export interface Database {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  ad_accounts: AdAccountsTable;
  facebook_logins: FacebookLoginsTable;
  missing_audiences: MissingAudiencesTable;
  audience_health: AudienceHealthTable;
  lookalike_audiences: LookalikeAudiencesTable;
  audience_resyncs: AudienceResyncsTable;
  audience_resync_members: AudienceResyncMembersTable;
  canvases: CanvasesTable;
  canvas_versions: CanvasVersionsTable;
  canvas_entry_counts: CanvasEntryCountsTable;
  user_profiles: UserProfilesTable;
  journeys: JourneysTable;
  timers: TimersTable;
  processed_messages: ProcessedMessagesTable;
  consumer_offsets: ConsumerOffsetsTable;
  partition_attempts: PartitionAttemptsTable;
  offset_skips: OffsetSkipsTable;
  step_counters: StepCountersTable;
  audience_entries: AudienceEntriesTable;
  meta_account_pacing: MetaAccountPacingTable;
  user_events: UserEventsTable;
  user_event_days: UserEventDaysTable;
  segments: SegmentsTable;
  segment_runs: SegmentRunsTable;
  segment_run_candidates: SegmentRunCandidatesTable;
  segment_audience_members: SegmentAudienceMembersTable;
  erasures: ErasuresTable;
  erasure_removals: ErasureRemovalsTable;
  suppressed_users: SuppressedUsersTable;
  redrives: RedrivesTable;
  step_drift: StepDriftTable;
  reconciliation_checks: ReconciliationChecksTable;
  audience_size_checks: AudienceSizeChecksTable;
  dry_runs: DryRunsTable;
  meta_account_capacity: MetaAccountCapacityTable;
}

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type Json<T> = ColumnType<T, string, string>;
type BigIntColumn = ColumnType<string, number | bigint | string, number | bigint | string>;

export interface WorkspacesTable {
  id: string;
  name: string;
  audience_name_prefix: string | null;
  block_launch_on_quota_risk: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  label: string;
  key_hash: Buffer;
  key_prefix: string;
  created_at: CreatedAt;
  revoked_at: Date | null;
}

export interface AdAccountsTable {
  id: string;
  workspace_id: string;
  meta_account_id: string;
  name: string;
  status: 'connected' | 'disconnected' | 'tos_not_accepted';
  status_reason: string | null;
  /** Since when the sync cannot use the connection; null while connected. */
  held_since: Date | null;
  token_expires_at: Date | null;
  token_checked_at: Date | null;
  token_ciphertext: Buffer;
  is_default: boolean;
  added_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CanvasesTable {
  id: string;
  workspace_id: string;
  name: string;
  status: CanvasStatus;
  live_version: number | null;
  latest_version: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CanvasVersionsTable {
  workspace_id: string;
  canvas_id: string;
  version: number;
  definition: Json<unknown>;
  resolved: Json<unknown>;
  state: 'draft' | 'live' | 'superseded';
  created_at: CreatedAt;
  launched_at: Date | null;
}

export interface CanvasEntryCountsTable {
  workspace_id: string;
  canvas_id: string;
  entrants: BigIntColumn;
}

export interface UserProfilesTable {
  workspace_id: string;
  user_id: string;
  traits: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface JourneysTable {
  workspace_id: string;
  user_id: string;
  canvas_id: string;
  entry_seq: number;
  version: number;
  status: JourneyStatus;
  step_id: string | null;
  entered_at: Date;
  updated_at: Date;
  converted_at: Date | null;
}

export interface TimersTable {
  workspace_id: string;
  user_id: string;
  canvas_id: string;
  entry_seq: number;
  step_id: string;
  due_at: Date;
}

export interface ProcessedMessagesTable {
  workspace_id: string;
  user_id: string;
  message_id: string;
  processed_at: CreatedAt;
}

export interface ConsumerOffsetsTable {
  consumer_group: string;
  topic: string;
  partition: number;
  next_offset: BigIntColumn;
  updated_at: UpdatedAt;
}

export interface PartitionAttemptsTable {
  consumer_group: string;
  topic: string;
  partition: number;
  message_offset: BigIntColumn;
  attempts: number;
  first_at: Date;
  last_at: Date;
}

export interface OffsetSkipsTable {
  consumer_group: string;
  topic: string;
  partition: number;
  message_offset: BigIntColumn;
  dead_lettered: boolean;
  reason: string;
  skipped_by: string;
  skipped_at: Date;
}

export interface StepCountersTable {
  workspace_id: string;
  canvas_id: string;
  version: number;
  step_id: string;
  metric: StepMetric;
  bucket: Date;
  shard: number;
  value: BigIntColumn;
}

export interface AudienceEntriesTable {
  id: Generated<string>;
  /** NULL, with ad_account_id and audience_id, only on an Errored hand-off that never reaches Meta. */
  meta_account_id: string | null;
  ad_account_id: string | null;
  workspace_id: string;
  audience_id: string | null;
  action: 'add' | 'remove';
  canvas_id: string;
  version: number;
  step_id: string;
  user_id: string;
  entry_seq: number;
  schema: string[];
  row_values: string[];
  status: AudienceStatus;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date;
  entered_at: Date;
  deadline_at: Date;
  last_error: Json<unknown> | null;
  sent_at: Date | null;
  updated_at: UpdatedAt;
  origin: ColumnType<EntryOrigin, EntryOrigin | undefined, EntryOrigin>;
  /** The re-drive that last sent the entry again. */
  redrive_id: string | null;
}

export interface MetaAccountPacingTable {
  meta_account_id: string;
  last_request_at: Date | null;
  throttled_until: Date | null;
  usage_percent: number | null;
  updated_at: UpdatedAt;
}

export type AdAccountRow = Selectable<AdAccountsTable>;
export type CanvasRow = Selectable<CanvasesTable>;
export type AudienceEntryInsert = Insertable<AudienceEntriesTable>;

/** Partitioned by day (occurred_at); written by recordHistory only. */
export interface UserEventsTable {
  workspace_id: string;
  user_id: string;
  event: string;
  occurred_at: Date;
  message_id: string;
  properties: ColumnType<Record<string, unknown>, string | undefined, string>;
}

/** Partitioned by day; one row per user, event and UTC day. */
export interface UserEventDaysTable {
  workspace_id: string;
  user_id: string;
  event: string;
  day: ColumnType<Date, string, string>;
  occurrences: number;
  first_at: Date;
  last_at: Date;
}

export interface SegmentsTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  conditions: Json<unknown>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type SegmentRunStatus = 'pending' | 'running' | 'finished';

export interface SegmentRunsTable {
  workspace_id: string;
  canvas_id: string;
  scheduled_at: Date;
  version: number;
  status: SegmentRunStatus;
  started_at: Date | null;
  finished_at: Date | null;
  cursor: string | null;
  candidates: number | null;
  evaluated: Generated<number>;
  members: Generated<number>;
  entered: Generated<number>;
  removed: Generated<number>;
  /** What the first transaction counted from the rollup for every candidate (null: nothing). */
  counted: string | null;
}

export interface SegmentRunCandidatesTable {
  canvas_id: string;
  scheduled_at: Date;
  workspace_id: string;
  user_id: string;
  /** Counts of the run's counted behaviours, in order (null: the slice reads the history). */
  counts: number[] | null;
}

export interface SegmentAudienceMembersTable {
  canvas_id: string;
  step_id: string;
  workspace_id: string;
  user_id: string;
  entry_seq: number;
  added_at: Date;
}

export interface ErasuresTable {
  id: string;
  workspace_id: string;
  user_hash: string;
  status: 'removing' | 'completed';
  requested_by: string;
  requested_at: Date;
  completed_at: Date | null;
  deleted_rows: Json<Record<string, number>>;
}

export interface ErasureRemovalsTable {
  workspace_id: string;
  erasure_id: string;
  meta_account_id: string;
  audience_id: string;
  canvas_id: string;
  step_id: string;
  entry_seq: number;
  status: 'pending' | 'confirmed' | 'not_synced' | 'errored';
  confirmed_at: Date | null;
  last_error: Json<Record<string, unknown>> | null;
}

export interface SuppressedUsersTable {
  workspace_id: string;
  user_hash: string;
  until: Date;
}

export interface FacebookLoginsTable {
  id: string;
  workspace_id: string;
  state_hash: string;
  /** SHA-256 of the secret cookie set in the starting browser; null for logins started before the binding. */
  binding_hash: string | null;
  redirect_uri: string;
  status: 'started' | 'authorized' | 'denied' | 'failed' | 'connected';
  failure: string | null;
  token_ciphertext: Buffer | null;
  token_expires_at: Date | null;
  reachable_accounts: Json<unknown> | null;
  started_by: string;
  created_at: Date;
  expires_at: Date;
  updated_at: Date;
}

export interface MissingAudiencesTable {
  audience_id: string;
  meta_account_id: string;
  message: string;
  detected_at: Date;
}

export interface AudienceHealthTable {
  audience_id: string;
  problem: 'flagged' | 'not_sac_eligible';
  meta_account_id: string;
  message: string;
  detected_at: Date;
}

export interface RedrivesTable {
  id: string;
  workspace_id: string;
  canvas_id: string;
  step_id: string;
  /** Label of the API key that asked. */
  requested_by: string;
  api_key_id: string;
  requested_at: Date;
  idempotency_key: string | null;
  note: string | null;
  users: number;
  moved: Json<Record<string, number>>;
  skipped: Json<Record<string, number>>;
}

export interface StepDriftTable {
  canvas_id: string;
  step_id: string;
  kind: 'counters' | 'removals' | 'audience_size';
  workspace_id: string;
  meta_account_id: string;
  expected: BigIntColumn;
  actual: BigIntColumn;
  gap: BigIntColumn;
  detail: Json<Record<string, unknown>>;
  since: Date;
  checked_at: Date;
}

export interface ReconciliationChecksTable {
  meta_account_id: string;
  checked_at: Date;
  steps: number;
}

export interface AudienceSizeChecksTable {
  audience_id: string;
  meta_account_id: string;
  checked_at: Date;
  lower_bound: BigIntColumn | null;
  upper_bound: BigIntColumn | null;
  most: BigIntColumn;
  least: BigIntColumn;
  previous_most: BigIntColumn | null;
  previous_least: BigIntColumn | null;
}

export interface LookalikeAudiencesTable {
  meta_account_id: string;
  source_audience_id: string;
  countries: string[];
  ratio_percent: number;
  workspace_id: string;
  canvas_id: string;
  step_id: string;
  name: string;
  status: 'waiting_for_source' | 'creating' | 'created' | 'refused';
  lookalike_id: string | null;
  source_size: BigIntColumn | null;
  meta_status: Json<Record<string, unknown>> | null;
  message: string | null;
  attempts: Generated<number>;
  next_check_at: Date;
  requested_at: Date;
  claimed_at: Date | null;
  lookalike_created_at: Date | null;
  updated_at: Date;
}

/** A dry run of a canvas version over the behaviour history; the only row a dry run writes. */
export interface DryRunsTable {
  id: string;
  workspace_id: string;
  canvas_id: string;
  version: number;
  window_from: Date;
  window_to: Date;
  status: DryRunStatus;
  users_done: ColumnType<string, number | bigint | string | undefined, number | bigint | string>;
  users_total: ColumnType<string, number | bigint | string | undefined, number | bigint | string>;
  pass: ColumnType<number, number | undefined, number>;
  passes: ColumnType<number, number | undefined, number>;
  cost_events: ColumnType<string, number | bigint | string | undefined, number | bigint | string>;
  result: Json<unknown> | null;
  failure: string | null;
  requested_by: string;
  lease: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
}

/** How the sync's owner of a Meta account paces it; read by the quota planner. */
export interface MetaAccountCapacityTable {
  meta_account_id: string;
  quota_per_window: number;
  window_ms: BigIntColumn;
  safety: number;
  users_per_request: number;
  batch_window_ms: number;
  pace_factor: ColumnType<number, number | undefined, number>;
  recorded_at: Date;
}

export interface AudienceResyncsTable {
  id: string;
  meta_account_id: string;
  workspace_id: string;
  canvas_id: string;
  step_id: string;
  ad_account_id: string;
  audience_id: string;
  status: ResyncStatus;
  requested_by: string;
  run_scheduled_at: Date | null;
  session_id: BigIntColumn | null;
  sessions_started: Generated<number>;
  session_started_at: Date | null;
  batch_size: number | null;
  members: number | null;
  batches: number | null;
  batches_sent: Generated<number>;
  schema: string[] | null;
  added: number | null;
  removed: number | null;
  invalid_entries: Generated<number>;
  stage: string | null;
  attempts: Generated<number>;
  next_attempt_at: Date;
  last_error: Json<unknown> | null;
  requested_at: Date;
  started_at: Date | null;
  confirming_since: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

export interface AudienceResyncMembersTable {
  meta_account_id: string;
  resync_id: string;
  workspace_id: string;
  batch: number;
  user_id: string;
  entry_seq: number;
  schema: string[];
  row_values: string[];
  refused: Generated<boolean>;
}
