/**
 * Hands out the workspaces that have work, in turn, so a loop claims one workspace at a time
 * (every row-locking statement stays on one shard, docs/scaling.md) and one workspace's backlog
 * never starves another's: each is served once per round; a round starts with one lock-free read
 * of who has work, and that read is all a round costs beyond the claims themselves.
 */
export interface WorkspaceRotation {
  /** Up to `n` distinct workspaces to claim from now; reads a new round first when the last one is done. */
  next(n: number): Promise<string[]>;
  /** Workspaces `next` gave that were not claimed from: first in line next time. */
  giveBack(workspaceIds: readonly string[]): void;
  /** Workspaces of this round still waiting for their turn. */
  waiting(): number;
}

export function workspaceRotation(whoHasWork: () => Promise<readonly string[]>): WorkspaceRotation {
  let round: string[] = [];
  return {
    async next(n) {
      if (round.length === 0) round = [...new Set(await whoHasWork())];
      // never past the round's end: a workspace comes once per call, so a claim never meets its own locks
      return round.splice(0, n);
    },
    giveBack(workspaceIds) {
      round.unshift(...workspaceIds.filter((id) => !round.includes(id)));
    },
    waiting: () => round.length,
  };
}
