import { randomUUID } from 'node:crypto';
import {
  audienceSharers,
  findCanvas,
  findCanvasVersion,
  latestResyncs,
  requestResyncs,
  scheduleSegmentRun,
  type Resync,
} from '@canvas/db';
import type { ApiDeps } from './deps.js';
import { apiError, conflict, notFound } from './problem.js';
import { definitionOf } from './stored-definition.js';

/**
 * Asks for a resync of a following step's audience. On a running canvas it schedules a segment run
 * now, in the same transaction, and the resync uploads the members that run leaves; on a paused
 * canvas it uploads the members as they are. The audience's other writes wait until it ends.
 */
export async function requestResync(
  deps: ApiDeps,
  workspaceId: string,
  canvasId: string,
  stepId: string,
  requestedBy: string,
): Promise<Resync> {
  const canvas = await findCanvas(deps.db, workspaceId, canvasId);
  if (!canvas) throw notFound(`canvas ${canvasId}`);
  if (canvas.liveVersion === null || (canvas.status !== 'running' && canvas.status !== 'paused'))
    throw conflict('CANVAS_STATE_CONFLICT', `a ${canvas.status} canvas has no audience to resync`);
  const live = await findCanvasVersion(deps.db, canvas.id, canvas.liveVersion);
  const definition = definitionOf(live?.definition, { canvasId: canvas.id, version: canvas.liveVersion });
  const step = definition.steps.find((s) => s.id === stepId);
  if (!step) throw notFound(`step ${stepId} of the live version of canvas ${canvasId}`);
  if (step.kind !== 'facebook_audience' || !step.followSegment)
    throw apiError(
      'STEP_NOT_FOLLOWING',
      `step ${stepId} is not a Facebook Audience step with followSegment: true; only such a step's audience ` +
        "is the segment's to replace",
    );
  const target = live?.resolved[stepId];
  if (!target) throw apiError('STEP_NOT_FOLLOWING', `step ${stepId} has no audience in the live version`);
  const sharers = await audienceSharers(deps.db, workspaceId, target.audienceId, { canvasId, stepId });
  if (sharers.length > 0) {
    const users = sharers.map((s) => `step ${s.stepId} of canvas ${s.canvasId}`).join(', ');
    throw apiError(
      'AUDIENCE_SHARED',
      `audience ${target.audienceId} is also used by ${users}; replacing it would take their users out`,
    );
  }
  const now = deps.now();
  const runAt = canvas.status === 'running' ? now : null;
  return deps.db.transaction().execute(async (tx) => {
    if (runAt)
      await scheduleSegmentRun(tx, { workspaceId, canvasId, scheduledAt: runAt, version: canvas.liveVersion! });
    const [created] = await requestResyncs(tx, {
      workspaceId,
      canvasId,
      targets: [{ id: randomUUID(), stepId, ...target }],
      requestedBy,
      runScheduledAt: runAt,
      now,
    });
    if (created) return created;
    const open = (await latestResyncs(tx, workspaceId, canvasId)).find((r) => r.stepId === stepId);
    throw conflict(
      'RESYNC_RUNNING',
      `resync ${open?.id ?? ''} of step ${stepId} is ${open?.status ?? 'open'}; it must end before another starts`,
    );
  });
}
