import { CanvasDefinition, type CanvasLookup, type CanvasVersion, type LiveCanvas } from '@canvas/canvas';
import { liveCanvasVersions, listWorkspaceIds, versionById, type Db, type ResolvedSteps } from '@canvas/db';

interface IndexedCanvas extends LiveCanvas {
  resolved: ResolvedSteps;
  targetCap: number | undefined;
}

const versionKey = (canvasId: string, version: number) => `${canvasId}:${version}`;

/**
 * Running and paused canvases by workspace and trigger event, rebuilt when a canvas changes;
 * plus every version users are still on (versions never change once launched).
 */
export class CanvasIndex {
  private byTrigger = new Map<string, IndexedCanvas[]>();
  private versions = new Map<string, { version: CanvasVersion; resolved: ResolvedSteps }>();
  private workspaces = new Set<string>();
  private loadedAt = 0;

  constructor(private readonly db: Db) {}

  get ready(): boolean {
    return this.loadedAt > 0;
  }

  get canvasCount(): number {
    return new Set([...this.byTrigger.values()].flat().map((c) => c.version.canvasId)).size;
  }

  async refresh(): Promise<void> {
    const [live, workspaces] = await Promise.all([liveCanvasVersions(this.db), listWorkspaceIds(this.db)]);
    const byTrigger = new Map<string, IndexedCanvas[]>();
    for (const row of live) {
      // launched versions never change: parse each once
      const known = this.versions.get(versionKey(row.canvasId, row.version));
      const version: CanvasVersion = known?.version ?? {
        canvasId: row.canvasId,
        version: row.version,
        definition: CanvasDefinition.parse(row.definition),
      };
      this.versions.set(versionKey(row.canvasId, row.version), { version, resolved: row.resolved });
      const key = `${row.workspaceId}\u0000${version.definition.entry.trigger.event}`;
      const list = byTrigger.get(key) ?? [];
      list.push({
        workspaceId: row.workspaceId,
        status: row.status === 'running' ? 'running' : 'paused',
        version,
        resolved: row.resolved,
        targetCap: version.definition.entry.targetCap,
      });
      byTrigger.set(key, list);
    }
    this.byTrigger = byTrigger;
    this.workspaces = new Set(workspaces);
    this.loadedAt = Date.now();
  }

  hasWorkspace(id: string): boolean {
    return this.workspaces.has(id);
  }

  /** Loads versions the batch's journeys are on that the index does not hold yet. */
  async ensureVersions(pairs: Iterable<{ canvasId: string; version: number }>): Promise<void> {
    for (const { canvasId, version } of pairs) {
      const key = versionKey(canvasId, version);
      if (this.versions.has(key)) continue;
      const row = await versionById(this.db, canvasId, version);
      if (row)
        this.versions.set(key, {
          version: { canvasId, version, definition: CanvasDefinition.parse(row.definition) },
          resolved: row.resolved,
        });
    }
  }

  triggered(workspaceId: string, eventName: string): readonly IndexedCanvas[] {
    return this.byTrigger.get(`${workspaceId}\u0000${eventName}`) ?? [];
  }

  resolved(canvasId: string, version: number): ResolvedSteps | undefined {
    return this.versions.get(versionKey(canvasId, version))?.resolved;
  }

  lookup(): CanvasLookup {
    return {
      triggeredBy: (workspaceId, eventName) => this.triggered(workspaceId, eventName),
      version: (canvasId, version) => this.versions.get(versionKey(canvasId, version))?.version,
    };
  }
}
