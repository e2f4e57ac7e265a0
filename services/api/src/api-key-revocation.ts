import type { ApiKey } from '@canvas/db';

export type Revocation = 'revoke' | 'caller_revoked' | 'not_found' | 'older_key' | 'last_key';

const olderThan = (a: ApiKey, b: ApiKey) =>
  a.createdAt.getTime() < b.createdAt.getTime() || (a.createdAt.getTime() === b.createdAt.getTime() && a.id < b.id);

/**
 * Whether the caller's key may revoke the target, decided over the workspace's keys read under
 * its lock: a key revokes itself and keys created after it (so the oldest live key can revoke
 * every other, and a leaked newer key cannot lock out its elders); the last live key stays.
 */
export function decideRevocation(keys: readonly ApiKey[], callerId: string, targetId: string): Revocation {
  const live = keys.filter((k) => k.revokedAt === null);
  const caller = live.find((k) => k.id === callerId);
  if (!caller) return 'caller_revoked';
  const target = live.find((k) => k.id === targetId);
  if (!target) return 'not_found';
  if (olderThan(target, caller)) return 'older_key';
  if (live.length <= 1) return 'last_key';
  return 'revoke';
}
