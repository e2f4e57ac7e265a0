/**
 * Who a run's slice moves in an audience that follows the segment: members not yet in it
 * enter, users in it who stopped qualifying leave, members already in it stay as they are.
 */
export function followingChanges(
  candidates: readonly string[],
  members: ReadonlySet<string>,
  inAudience: ReadonlySet<string>,
): { entering: string[]; leaving: string[] } {
  return {
    entering: candidates.filter((user) => members.has(user) && !inAudience.has(user)),
    leaving: candidates.filter((user) => inAudience.has(user) && !members.has(user)),
  };
}
