/** An ad set: only what linking audiences touches, its targeting spec and when it last changed. */
export interface SandboxAdSet {
  id: string;
  accountId: string;
  name: string;
  status: string;
  targeting: Record<string, unknown>;
  /** Sandbox-clock milliseconds. */
  updatedAt: number;
  /**
   * A change another tool makes right after a given number of reads, to exercise a caller's
   * conflict check (an emulator hook; Meta has no such thing).
   */
  pendingEdit?: { afterReads: number; targeting: Record<string, unknown> } | undefined;
}

/** Meta's updated_time form: ISO 8601 with a +0000 offset, to the second. */
export const metaTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+0000`;

export function adSetView(adSet: SandboxAdSet): Record<string, unknown> {
  return {
    id: adSet.id,
    name: adSet.name,
    account_id: adSet.accountId,
    status: adSet.status,
    effective_status: adSet.status,
    targeting: adSet.targeting,
    updated_time: metaTime(adSet.updatedAt),
  };
}
