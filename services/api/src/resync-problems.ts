import { latestResyncs, type Db, type Resync } from '@canvas/db';

export const resyncProblemCodes = ['audience_resync_unconfirmed', 'audience_resync_failed'] as const;
export type ResyncProblemCode = (typeof resyncProblemCodes)[number];

const resyncAgain = (r: Resync) => `POST /v1/canvases/${r.canvasId}/steps/${r.stepId}/resync`;

/** A step's latest resync that did not end done, as a canvas account problem with what to do. */
function problemOf(r: Resync) {
  const base = { adAccountId: `act_${r.metaAccountId}`, steps: [r.stepId], audienceId: r.audienceId };
  const progress =
    r.sessionId && r.batches
      ? `${r.batchesSent} of ${r.batches} batches of session ${r.sessionId} sent`
      : 'nothing sent';
  if (r.status === 'unconfirmed')
    return {
      ...base,
      code: 'audience_resync_unconfirmed' as const,
      message:
        `Meta never confirmed the replace of audience ${r.audienceId} (${progress}, stage ` +
        `${r.stage ?? 'unknown'}): it may still finish, or have stopped with the old members or part of the new`,
      hint:
        'compare the audience size in Ads Manager with the members; ' +
        `resync again (${resyncAgain(r)}): a new session replaces the audience in full`,
    };
  if (r.status === 'failed')
    return {
      ...base,
      code: 'audience_resync_failed' as const,
      message: `the resync of audience ${r.audienceId} failed (${progress}): ${r.lastError?.message ?? '—'}`,
      hint:
        r.batchesSent > 0
          ? 'Meta closes a session 90 minutes after its first batch and keeps what arrived, so the audience may ' +
            `hold part of the members only: fix the cause, then resync again (${resyncAgain(r)})`
          : `nothing was replaced; fix the cause, then resync again (${resyncAgain(r)})`,
    };
  return undefined;
}

/** Steps of the canvas whose latest resync is unconfirmed or failed, read from stored state. */
export async function resyncProblems(db: Db, workspaceId: string, canvasId: string) {
  return (await latestResyncs(db, workspaceId, canvasId)).flatMap((r) => {
    const problem = problemOf(r);
    return problem ? [problem] : [];
  });
}
