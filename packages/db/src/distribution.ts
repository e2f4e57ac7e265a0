/**
 * How each table would be placed on a Citus cluster (docs/decisions/0040, docs/scaling.md).
 * Every table not named here is distributed by `distributionColumn` and colocated with the others:
 * its primary key, unique keys and foreign keys to other distributed tables include that column,
 * which test/integration/distribution-readiness.test.ts checks against the migrated catalog.
 */
export const distributionColumn = 'workspace_id';

/** Small tables copied to every node: any shard joins them locally; each write goes to all nodes. */
export const referenceTables: Readonly<Record<string, string>> = {
  workspaces: 'the tenants themselves, a few rows per customer, read by almost every request',
  api_keys: 'looked up by key hash before the workspace is known; written only when keys change',
  facebook_logins: 'the OAuth callback finds its login by state hash before it knows the workspace; one row a login',
};

/** Tables that stay on the coordinator (Citus local tables): never joined with a distributed table. */
export const coordinatorTables: Readonly<Record<string, string>> = {
  schema_migrations: "the migrator's own record of applied files",
  consumer_offsets:
    'per consumer group and Kafka partition, not per workspace; committed in the chunk transaction (decision 0004)',
  partition_attempts: 'per Kafka partition: how often one offset failed, read before the chunk that retries it',
  offset_skips: 'per Kafka partition: the offsets an operator skipped',
  meta_account_pacing: "one Meta ad account's quota is shared by every workspace connected to it",
  meta_account_capacity: 'per Meta ad account, shared by the workspaces connected to it',
  reconciliation_checks: 'per Meta ad account: when the watch last looked at it',
  audience_health: 'what Meta reports of one of its audiences, keyed by the Meta audience id',
  missing_audiences: 'Meta audiences Meta no longer knows, keyed by the Meta audience id',
  audience_size_checks: "Meta's size estimate of one of its audiences, keyed by the Meta audience id",
};

/** Why a table is not distributed by workspace, or undefined when it is. */
export function undistributedReason(table: string): string | undefined {
  return referenceTables[table] ?? coordinatorTables[table];
}
