/** A workspace's user, as every per-user table keys it. */
export interface UserRef {
  workspaceId: string;
  userId: string;
}

export const sortUsers = <T extends UserRef>(users: readonly T[]) =>
  [...users].sort((a, b) =>
    a.workspaceId === b.workspaceId
      ? a.userId < b.userId
        ? -1
        : a.userId > b.userId
          ? 1
          : 0
      : a.workspaceId < b.workspaceId
        ? -1
        : 1,
  );
