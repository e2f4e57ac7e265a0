import {
  eventNameKey,
  readStoredDefinition,
  type CanvasLookup,
  type CanvasVersion,
  type LiveCanvas,
  type SegmentCondition,
} from '@canvas/canvas';
import {
  liveCanvasVersions,
  existingWorkspaceIds,
  listWorkspaceIds,
  segmentsByIds,
  versionById,
  type Db,
  type ResolvedSteps,
} from '@canvas/db';

interface IndexedCanvas extends LiveCanvas {
  resolved: ResolvedSteps;
  targetCap: number | undefined;
  launchedAt: Date;
}

const versionKey = (canvasId: string, version: number) => `${canvasId}:${version}`;

/**
 * Running and paused canvases by workspace and trigger event, rebuilt when a canvas changes;
 * plus every version users are still on (versions never change once launched).
 */
export class CanvasIndex {
  private byTrigger = new Map<string, IndexedCanvas[]>();
  private segmentEntry: IndexedCanvas[] = [];
  private versions = new Map<string, { version: CanvasVersion; resolved: ResolvedSteps }>();
  private workspaces = new Set<string>();
  /** Segments live canvases filter their entries by, as of the last refresh. */
  private entrySegments = new Map<string, { workspaceId: string; conditions: SegmentCondition }>();
  private loadedAt = 0;

  private unreadable = new Map<string, string>();

  /** `onUnreadable` hears once of each stored version this engine cannot read; the index goes on without it. */
  constructor(
    private readonly db: Db,
    private readonly onUnreadable: (canvasId: string, version: number, reason: string) => void = () => undefined,
  ) {}

  /** Canvas versions left out because their stored definition cannot be read. */
  get unreadableCount(): number {
    return this.unreadable.size;
  }

  private read(canvasId: string, version: number, stored: unknown): CanvasVersion | undefined {
    const result = readStoredDefinition(stored);
    if (result.ok) return { canvasId, version, definition: result.definition };
    const key = versionKey(canvasId, version);
    if (!this.unreadable.has(key)) this.onUnreadable(canvasId, version, result.reason);
    this.unreadable.set(key, result.reason);
    return undefined;
  }

  get ready(): boolean {
    return this.loadedAt > 0;
  }

  get canvasCount(): number {
    return new Set([...[...this.byTrigger.values()].flat(), ...this.segmentEntry].map((c) => c.version.canvasId)).size;
  }

  async refresh(): Promise<void> {
    const [live, workspaces] = await Promise.all([liveCanvasVersions(this.db), listWorkspaceIds(this.db)]);
    const byTrigger = new Map<string, IndexedCanvas[]>();
    const segmentEntry: IndexedCanvas[] = [];
    for (const row of live) {
      // launched versions never change: parse each once
      const known = this.versions.get(versionKey(row.canvasId, row.version));
      const version = known?.version ?? this.read(row.canvasId, row.version, row.definition);
      // one unreadable canvas must not keep the others from running
      if (!version) continue;
      this.versions.set(versionKey(row.canvasId, row.version), { version, resolved: row.resolved });
      const indexed: IndexedCanvas = {
        workspaceId: row.workspaceId,
        status: row.status === 'running' ? 'running' : 'paused',
        version,
        resolved: row.resolved,
        targetCap: version.definition.entry.targetCap,
        launchedAt: row.launchedAt,
      };
      const { trigger } = version.definition.entry;
      if (!trigger) {
        segmentEntry.push(indexed);
        continue;
      }
      const key = eventNameKey(row.workspaceId, trigger.event);
      byTrigger.set(key, [...(byTrigger.get(key) ?? []), indexed]);
    }
    const segmentIds = [...byTrigger.values()].flat().flatMap((c) => c.version.definition.entry.inSegment ?? []);
    const segments = await segmentsByIds(this.db, [...new Set(segmentIds)]);
    this.byTrigger = byTrigger;
    this.segmentEntry = segmentEntry;
    this.entrySegments = new Map(segments.map((s) => [s.id, { workspaceId: s.workspaceId, conditions: s.conditions }]));
    this.workspaces = new Set(workspaces);
    this.loadedAt = Date.now();
  }

  hasWorkspace(id: string): boolean {
    return this.workspaces.has(id);
  }

  /** Asks the database about workspaces the index does not know, e.g. one created a moment ago. */
  async confirmWorkspaces(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 1000)
      for (const id of await existingWorkspaceIds(this.db, ids.slice(i, i + 1000))) this.workspaces.add(id);
  }

  /** Loads versions the batch's journeys are on that the index does not hold yet. */
  async ensureVersions(pairs: Iterable<{ canvasId: string; version: number }>): Promise<void> {
    for (const { canvasId, version } of pairs) {
      const key = versionKey(canvasId, version);
      if (this.versions.has(key)) continue;
      if (this.unreadable.has(key)) continue;
      const row = await versionById(this.db, canvasId, version);
      const read = row && this.read(canvasId, version, row.definition);
      if (row && read) this.versions.set(key, { version: read, resolved: row.resolved });
    }
  }

  triggered(workspaceId: string, eventName: string): readonly IndexedCanvas[] {
    return this.byTrigger.get(eventNameKey(workspaceId, eventName)) ?? [];
  }

  /** Running and paused canvases that enter a segment's members on a schedule. */
  segmentEntryCanvases(): readonly IndexedCanvas[] {
    return this.segmentEntry;
  }

  /** The conditions of a segment a live canvas of the workspace filters entries by. */
  entrySegment(workspaceId: string, segmentId: string): SegmentCondition | undefined {
    const segment = this.entrySegments.get(segmentId);
    return segment?.workspaceId === workspaceId ? segment.conditions : undefined;
  }

  resolved(canvasId: string, version: number): ResolvedSteps | undefined {
    return this.versions.get(versionKey(canvasId, version))?.resolved;
  }

  lookup(): CanvasLookup {
    return {
      triggeredBy: (workspaceId, eventName) => this.triggered(workspaceId, eventName),
      version: (canvasId, version) => this.versions.get(versionKey(canvasId, version))?.version,
      segment: (workspaceId, segmentId) => this.entrySegment(workspaceId, segmentId),
    };
  }
}
