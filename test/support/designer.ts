import { execFileSync } from 'node:child_process';
import type { RunningSystem } from './system.ts';

/**
 * A workspace created with the CLI, as an operator would, an API caller with its key, and a way
 * to connect an ad account (the system's own sandbox account unless another is named).
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
  return { workspaceId, apiKey, call, connectAccount };
}
