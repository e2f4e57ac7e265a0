import { describe, expect, it } from '@jest/globals';
import type { ApiKey } from '@canvas/db';
import { decideRevocation } from './api-key-revocation.js';

const key = (id: string, minute: number, revoked = false): ApiKey => ({
  id,
  workspaceId: 'w',
  label: id,
  prefix: 'cjk_',
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  revokedAt: revoked ? new Date(Date.UTC(2026, 0, 2)) : null,
});
const keys = [key('owner', 0), key('ci', 1), key('gone', 2, true), key('late', 3)];

describe('decideRevocation', () => {
  it.each([
    ['the oldest key revokes a newer one', 'owner', 'late', 'revoke'],
    ['a key revokes itself', 'ci', 'ci', 'revoke'],
    ['a newer key cannot revoke an older one', 'late', 'owner', 'older_key'],
    ['a revoked key cannot act', 'gone', 'late', 'caller_revoked'],
    ['a revoked or unknown target is not found', 'owner', 'gone', 'not_found'],
  ] as const)('%s', (_name, caller, target, outcome) => {
    expect(decideRevocation(keys, caller, target)).toBe(outcome);
  });

  it('keeps the last live key', () => {
    expect(decideRevocation([key('only', 0), key('old', 1, true)], 'only', 'only')).toBe('last_key');
  });
});
