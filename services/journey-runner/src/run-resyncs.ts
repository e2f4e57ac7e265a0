import { randomUUID } from 'node:crypto';
import type { CanvasVersion } from '@canvas/canvas';
import type { ResolvedSteps, ResyncTarget } from '@canvas/db';

/**
 * The resyncs a scheduled run asks for: one per following step set to `resync: "each_run"`, on the
 * audience launch resolved for it. The sync uploads the step's members once the run has finished,
 * instead of sending the run's adds and removals one by one.
 */
export function runResyncs(
  canvas: { workspaceId: string; version: CanvasVersion; resolved: ResolvedSteps },
  scheduledAt: Date,
  now: Date,
) {
  const targets: (ResyncTarget & { id: string })[] = canvas.version.definition.steps.flatMap((step) => {
    if (step.kind !== 'facebook_audience' || !step.followSegment || step.resync !== 'each_run') return [];
    const target = canvas.resolved[step.id];
    return target ? [{ id: randomUUID(), stepId: step.id, ...target }] : [];
  });
  return {
    workspaceId: canvas.workspaceId,
    canvasId: canvas.version.canvasId,
    targets,
    requestedBy: 'schedule',
    runScheduledAt: scheduledAt,
    now,
  };
}
