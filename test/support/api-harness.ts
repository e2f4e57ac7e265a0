import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApi, createWorkspaceWithKey, type ApiDeps } from '@canvas/api';
import { createGraphClient, pacedAdSetCalls, type GraphClient } from '@canvas/meta-graph';
import { startSandbox, type RunningSandbox } from '@canvas/meta-sandbox';
import { createLogger, createMetricsRegistry, createTokenCipher, type Logger, type Registry } from '@canvas/runtime';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface ApiHarness {
  app: FastifyInstance;
  database: TestDatabase;
  sandbox: RunningSandbox;
  graph: GraphClient;
  /** The API's metrics, served on its ops listener (startApiOps), not on the public port. */
  registry: Registry;
  logger: Logger;
  workspaceId: string;
  apiKey: string;
  encryptionKey: string;
  /** Every response body seen, to check that none ever carries an access token. */
  bodies: string[];
  /** Every log line the API wrote (warnings and errors), to check what reaches logs. */
  logs: string[];
  call: (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    body?: unknown,
    apiKey?: string,
  ) => Promise<LightMyRequestResponse>;
  /** A sandbox ad account with a valid token for it. */
  sandboxAccount: (options?: { tosAccepted?: boolean }) => { accountId: string; token: string };
  close: () => Promise<void>;
}

/** The callback the harness's Meta app registers; requests to it are injected into the API. */
export const facebookLoginRedirectUri = 'http://127.0.0.1:8080/v1/facebook-login/callback';

/** The designer API over a fresh database and an in-process Graph API sandbox. */
export async function startApiHarness(
  options: Pick<
    ApiDeps,
    'estimateSampleSize' | 'metricsMaxAgeMs' | 'estimateTimeoutMs' | 'expensiveWork' | 'segmentBudget' | 'dryRun'
  > & { facebookLogin?: boolean } = {},
): Promise<ApiHarness> {
  const { facebookLogin, ...apiOptions } = options;
  const database = await createTestDatabase();
  const sandbox = await startSandbox({ admin: true });
  const graph = createGraphClient({ baseUrl: sandbox.url });
  const encryptionKey = randomBytes(32).toString('base64');
  const logs: string[] = [];
  const registry = createMetricsRegistry('api');
  const logger = createLogger({
    name: 'api-test',
    level: 'warn',
    destination: { write: (line: string) => void logs.push(line) },
  });
  const app = await buildApi({
    db: database.db,
    directory: { ...graph, ...pacedAdSetCalls(graph) },
    cipher: createTokenCipher(encryptionKey),
    logger,
    registry,
    now: () => new Date(),
    ...(facebookLogin
      ? {
          facebookLogin: {
            ...sandbox.state.app,
            dialogUrl: `${sandbox.url}/${graph.version}/dialog/oauth`,
            redirectUri: facebookLoginRedirectUri,
          },
        }
      : {}),
    ...apiOptions,
  });
  const { workspaceId, apiKey } = await createWorkspaceWithKey(database.db, 'Test workspace');
  const bodies: string[] = [];
  return {
    app,
    database,
    sandbox,
    graph,
    registry,
    logger,
    workspaceId,
    apiKey,
    encryptionKey,
    bodies,
    logs,
    call: async (method, url, body, key = apiKey) => {
      const response = await app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      bodies.push(response.body);
      return response;
    },
    sandboxAccount: (options = {}) => {
      const account = sandbox.state.createAccount({ name: 'Sandbox Ads', tosAccepted: options.tosAccepted ?? true });
      const token = sandbox.state.createToken({ adAccounts: [account.id] }).token;
      return { accountId: account.id, token };
    },
    close: async () => {
      await app.close();
      await graph.close();
      await sandbox.close();
      await database.drop();
    },
  };
}
