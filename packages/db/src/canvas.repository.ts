import { liveCanvasStatuses, toStoredDefinition, type CanvasDefinition, type CanvasStatus } from '@canvas/canvas';
import type { Executor, Tx } from './connection.js';
import type { CanvasRow } from './schema.js';

export type { CanvasStatus };
export type VersionState = 'draft' | 'live' | 'superseded';

export interface CanvasRecord {
  id: string;
  workspaceId: string;
  name: string;
  status: CanvasStatus;
  liveVersion: number | null;
  latestVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Per Facebook step, what launch chose: the workspace's ad account and the Meta audience. */
export type ResolvedSteps = Record<
  string,
  {
    adAccountId: string;
    metaAccountId: string;
    audienceId: string;
    created: boolean;
    audienceName?: string;
    /** The step whose audience this step uses. */
    fromStep?: string;
    /** Ad sets whose targeting now includes the audience. */
    linkedAdSets?: string[];
    /** A value-based audience: the trait each user's LOOKALIKE_VALUE comes from (decision 35). */
    valueTrait?: string;
  }
>;

export interface CanvasVersionRecord {
  canvasId: string;
  version: number;
  definition: unknown;
  resolved: ResolvedSteps;
  state: VersionState;
  createdAt: Date;
  launchedAt: Date | null;
}

/** A launched version a runner needs, with its canvas's current status. */
export interface LiveCanvasVersion {
  canvasId: string;
  workspaceId: string;
  status: CanvasStatus;
  version: number;
  definition: unknown;
  resolved: ResolvedSteps;
  launchedAt: Date;
}

const toCanvas = (row: CanvasRow): CanvasRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  status: row.status,
  liveVersion: row.live_version,
  latestVersion: row.latest_version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function insertCanvas(
  db: Executor,
  canvas: { id: string; workspaceId: string; name: string; definition: CanvasDefinition; now: Date },
): Promise<CanvasRecord> {
  const row = await db
    .insertInto('canvases')
    .values({
      id: canvas.id,
      workspace_id: canvas.workspaceId,
      name: canvas.name,
      status: 'draft',
      live_version: null,
      latest_version: 1,
      created_at: canvas.now,
      updated_at: canvas.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('canvas_versions')
    .values({
      workspace_id: canvas.workspaceId,
      canvas_id: canvas.id,
      version: 1,
      definition: JSON.stringify(toStoredDefinition(canvas.definition)),
      resolved: '{}',
      state: 'draft',
      created_at: canvas.now,
      launched_at: null,
    })
    .execute();
  return toCanvas(row);
}

export async function findCanvas(db: Executor, workspaceId: string, id: string): Promise<CanvasRecord | undefined> {
  const row = await db
    .selectFrom('canvases')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toCanvas(row);
}

/** The canvas, its row locked until the transaction ends (state changes check and write under it). */
export async function lockCanvas(tx: Tx, workspaceId: string, id: string): Promise<CanvasRecord | undefined> {
  const row = await tx
    .selectFrom('canvases')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toCanvas(row);
}

/** A page of a workspace's canvases, newest first; the cursor is the last item's id. */
export async function listCanvases(
  db: Executor,
  workspaceId: string,
  options: { status?: CanvasStatus | undefined; limit: number; after?: string | undefined },
): Promise<CanvasRecord[]> {
  let query = db.selectFrom('canvases').selectAll().where('workspace_id', '=', workspaceId);
  if (options.status) query = query.where('status', '=', options.status);
  if (options.after) {
    const after = options.after;
    query = query.where((eb) =>
      eb(
        eb.tuple(eb.ref('created_at'), eb.ref('id')),
        '<',
        eb.tuple(
          eb
            .selectFrom('canvases')
            .select('created_at')
            .where('id', '=', after)
            .where('workspace_id', '=', workspaceId),
          eb.val(after),
        ),
      ),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(toCanvas);
}

const toVersion = (row: {
  canvas_id: string;
  version: number;
  definition: unknown;
  resolved: unknown;
  state: VersionState;
  created_at: Date;
  launched_at: Date | null;
}): CanvasVersionRecord => ({
  canvasId: row.canvas_id,
  version: row.version,
  definition: row.definition,
  resolved: (row.resolved ?? {}) as ResolvedSteps,
  state: row.state,
  createdAt: row.created_at,
  launchedAt: row.launched_at,
});

export async function findCanvasVersion(
  db: Executor,
  canvasId: string,
  version: number,
): Promise<CanvasVersionRecord | undefined> {
  const row = await db
    .selectFrom('canvas_versions')
    .selectAll()
    .where('canvas_id', '=', canvasId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row && toVersion(row);
}

export async function listCanvasVersions(db: Executor, canvasId: string): Promise<CanvasVersionRecord[]> {
  const rows = await db
    .selectFrom('canvas_versions')
    .selectAll()
    .where('canvas_id', '=', canvasId)
    .orderBy('version')
    .execute();
  return rows.map(toVersion);
}

/**
 * Saves an edit: it replaces the newest version while that is a draft, and otherwise opens
 * a new draft version, so launched versions never change.
 */
export async function saveDraft(
  db: Executor,
  canvas: CanvasRecord,
  change: { name: string; definition: CanvasDefinition; now: Date },
): Promise<CanvasRecord> {
  const latest = await findCanvasVersion(db, canvas.id, canvas.latestVersion);
  let version = canvas.latestVersion;
  if (latest?.state === 'draft') {
    await db
      .updateTable('canvas_versions')
      .set({ definition: JSON.stringify(toStoredDefinition(change.definition)) })
      .where('canvas_id', '=', canvas.id)
      .where('version', '=', version)
      .execute();
  } else {
    version += 1;
    await db
      .insertInto('canvas_versions')
      .values({
        workspace_id: canvas.workspaceId,
        canvas_id: canvas.id,
        version,
        definition: JSON.stringify(toStoredDefinition(change.definition)),
        resolved: '{}',
        state: 'draft',
        created_at: change.now,
        launched_at: null,
      })
      .execute();
  }
  const row = await db
    .updateTable('canvases')
    .set({ name: change.name, latest_version: version, updated_at: change.now })
    .where('id', '=', canvas.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCanvas(row);
}

export async function saveResolved(
  db: Executor,
  canvasId: string,
  version: number,
  resolved: ResolvedSteps,
): Promise<void> {
  await db
    .updateTable('canvas_versions')
    .set({ resolved: JSON.stringify(resolved) })
    .where('canvas_id', '=', canvasId)
    .where('version', '=', version)
    .execute();
}

/** Makes a draft version the live one: earlier live versions are superseded, the canvas runs. */
export async function markLaunched(db: Executor, canvasId: string, version: number, now: Date): Promise<CanvasRecord> {
  await db
    .updateTable('canvas_versions')
    .set({ state: 'superseded' })
    .where('canvas_id', '=', canvasId)
    .where('state', '=', 'live')
    .execute();
  await db
    .updateTable('canvas_versions')
    .set({ state: 'live', launched_at: now })
    .where('canvas_id', '=', canvasId)
    .where('version', '=', version)
    .execute();
  const row = await db
    .updateTable('canvases')
    .set({ status: 'running', live_version: version, updated_at: now })
    .where('id', '=', canvasId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('canvas_entry_counts')
    .values({ workspace_id: row.workspace_id, canvas_id: canvasId, entrants: 0 })
    .onConflict((oc) => oc.columns(['canvas_id', 'workspace_id']).doNothing())
    .execute();
  return toCanvas(row);
}

/** Moves a canvas between statuses; undefined when it was not in one of `from`. */
export async function transitionCanvas(
  db: Executor,
  workspaceId: string,
  id: string,
  from: readonly CanvasStatus[],
  to: CanvasStatus,
  now: Date,
): Promise<CanvasRecord | undefined> {
  const row = await db
    .updateTable('canvases')
    .set({ status: to, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returningAll()
    .executeTakeFirst();
  return row && toCanvas(row);
}

/** Audiences earlier versions of a canvas resolved, so an edit keeps writing to the same audience. */
export async function resolvedByEarlierVersions(db: Executor, canvasId: string): Promise<ResolvedSteps> {
  const rows = await db
    .selectFrom('canvas_versions')
    .select(['resolved'])
    .where('canvas_id', '=', canvasId)
    .orderBy('version')
    .execute();
  return Object.assign({}, ...rows.map((r) => r.resolved as ResolvedSteps)) as ResolvedSteps;
}

/** Every launched version of every running or paused canvas: what a runner's index holds. */
export async function liveCanvasVersions(db: Executor): Promise<LiveCanvasVersion[]> {
  const rows = await db
    .selectFrom('canvases as c')
    .innerJoin('canvas_versions as v', (join) =>
      join
        .onRef('v.workspace_id', '=', 'c.workspace_id')
        .onRef('v.canvas_id', '=', 'c.id')
        .onRef('v.version', '=', 'c.live_version'),
    )
    .select(['c.id', 'c.workspace_id', 'c.status', 'v.version', 'v.definition', 'v.resolved', 'v.launched_at'])
    .where('c.status', 'in', liveCanvasStatuses)
    .execute();
  return rows.map((r) => ({
    canvasId: r.id,
    workspaceId: r.workspace_id,
    status: r.status,
    version: r.version,
    definition: r.definition,
    resolved: (r.resolved ?? {}) as ResolvedSteps,
    launchedAt: r.launched_at ?? new Date(0),
  }));
}

/** The status of canvases by id, for timers and journeys on older versions. */
export async function canvasStatuses(db: Executor, ids: readonly string[]): Promise<Map<string, CanvasStatus>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('canvases')
    .select(['id', 'status'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** A version regardless of workspace, for the runner's cache of versions users are still on. */
export async function versionById(
  db: Executor,
  canvasId: string,
  version: number,
): Promise<(CanvasVersionRecord & { workspaceId: string }) | undefined> {
  const row = await db
    .selectFrom('canvas_versions as v')
    .innerJoin('canvases as c', (join) =>
      join.onRef('c.workspace_id', '=', 'v.workspace_id').onRef('c.id', '=', 'v.canvas_id'),
    )
    .select([
      'v.canvas_id',
      'v.version',
      'v.definition',
      'v.resolved',
      'v.state',
      'v.created_at',
      'v.launched_at',
      'c.workspace_id',
    ])
    .where('v.canvas_id', '=', canvasId)
    .where('v.version', '=', version)
    .executeTakeFirst();
  return row && { ...toVersion(row), workspaceId: row.workspace_id };
}

export const canvasChangedChannel = 'canvas_changed';

/** Used by tests and the runner to see the entry count of a capped canvas. */
export async function canvasEntrants(db: Executor, canvasId: string): Promise<number> {
  const row = await db
    .selectFrom('canvas_entry_counts')
    .select('entrants')
    .where('canvas_id', '=', canvasId)
    .executeTakeFirst();
  return Number(row?.entrants ?? 0);
}

/** Ids of running and paused canvases, in every workspace (for metrics). */
export async function liveCanvasIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('canvases').select('id').where('status', 'in', liveCanvasStatuses).execute();
  return rows.map((r) => r.id);
}
