import { execFileSync } from 'node:child_process';
import type { RunningSystem } from './system.ts';

/**
 * A workspace created with the CLI, as an operator would, an API caller with its key, a way
 * to connect an ad account (the system's own sandbox account unless another is named), and a maker
 * of the workspace's event messages.
 */
export function newDesigner(system: RunningSystem, databaseUrl: string, name: string) {
  const { workspaceId, apiKey } = JSON.parse(
    execFileSync(process.execPath, [system.cliPath, 'workspace', 'create', '--name', name], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    }).toString(),
  ) as { workspaceId: string; apiKey: string };
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system.api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const connectAccount = async (metaAccountId = system.adAccountId, token = system.adAccountToken) =>
    (await call('POST', '/v1/ad-accounts', { adAccountId: `act_${metaAccountId}`, accessToken: token })).status;
  /** A Kafka message of this workspace's user, as the shop backend sends it. */
  const message = (userId: string, body: Record<string, unknown>) => ({
    key: userId,
    value: JSON.stringify({ userId, timestamp: new Date().toISOString(), ...body }),
    headers: { 'workspace-id': workspaceId },
  });
  return { workspaceId, apiKey, call, connectAccount, message };
}
