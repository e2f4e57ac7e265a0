import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startNode, type RunningProcess } from './process.ts';
import { waitFor } from './wait.ts';

const main = (service: string) => fileURLToPath(new URL(`../../services/${service}/dist/main.js`, import.meta.url));
const cli = fileURLToPath(new URL('../../services/cli/dist/main.js', import.meta.url));

export interface RunningSystem {
  sandbox: RunningProcess & { url: string };
  api: RunningProcess & { url: string; opsUrl: string };
  runner: RunningProcess & { opsUrl: string };
  sync: RunningProcess & { opsUrl: string };
  adAccountId: string;
  adAccountToken: string;
  cliPath: string;
  all: () => RunningProcess[];
}

async function logged(process: RunningProcess, message: string, field: string): Promise<string> {
  return waitFor(
    () => {
      if (process.child.exitCode !== null)
        throw new Error(`exited before "${message}":\n${process.output().slice(-3000)}`);
      const line = process
        .output()
        .split('\n')
        .find((l) => l.includes(`"msg":"${message}"`));
      return line ? (JSON.parse(line) as Record<string, string>)[field] : undefined;
    },
    { what: message, timeoutMs: 60_000 },
  ) as Promise<string>;
}

/** A port nothing listens on now (the callback URL must be known before the API starts). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every service as its own process, the way an operator runs them, on free ports. */
export async function startSystem(options: {
  databaseUrl: string;
  brokers: string[];
  topic: string;
  env?: Record<string, string>;
  /** Facebook Login against the sandbox's app, returning to the console: the API gets a fixed free port. */
  facebookLogin?: boolean;
}): Promise<RunningSystem> {
  const adAccountId = String(7_000_000_000 + Math.floor(Math.random() * 1_000_000));
  const adAccountToken = `EAAB${randomBytes(16).toString('hex')}`;
  const shared = {
    DATABASE_URL: options.databaseUrl,
    KAFKA_BROKERS: options.brokers.join(','),
    EVENTS_TOPIC: options.topic,
    DEAD_LETTER_TOPIC: `${options.topic}.dlq`,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_FORMAT: 'json',
    ...options.env,
  };
  const sandboxProcess = startNode([main('meta-sandbox')], {
    ...shared,
    SANDBOX_PORT: '0',
    SANDBOX_ADMIN: 'true',
    SANDBOX_SEED_ACCOUNTS: `${adAccountId}:${adAccountToken}`,
  });
  const sandboxUrl = await logged(sandboxProcess, 'Graph API sandbox listening', 'url');
  const withGraph = { ...shared, META_GRAPH_URL: sandboxUrl };
  const apiPort = options.facebookLogin ? await freePort() : 0;
  const apiOrigin = `http://127.0.0.1:${apiPort}`;
  const apiProcess = startNode([main('api')], {
    ...withGraph,
    API_PORT: String(apiPort),
    OPS_PORT: '0',
    ...(options.facebookLogin
      ? {
          META_APP_ID: '1000000000000001',
          META_APP_SECRET: 'sandbox-app-secret',
          FACEBOOK_LOGIN_DIALOG_URL: sandboxUrl,
          FACEBOOK_LOGIN_REDIRECT_URI: `${apiOrigin}/v1/facebook-login/callback`,
          FACEBOOK_LOGIN_RETURN_URL: `${apiOrigin}/console/#/ad-accounts`,
        }
      : {}),
  });
  const runnerProcess = startNode([main('journey-runner')], {
    ...withGraph,
    OPS_PORT: '0',
    CONSUMER_GROUP: `e2e-${randomBytes(4).toString('hex')}`,
    KAFKA_SESSION_TIMEOUT: '6s',
    KAFKA_HEARTBEAT_INTERVAL: '1s',
  });
  const syncProcess = startNode([main('audience-sync')], {
    ...withGraph,
    OPS_PORT: '0',
    SYNC_OWNERSHIP_INTERVAL: '1s',
  });
  const [apiUrl, apiOps, runnerOps, syncOps] = await Promise.all([
    logged(apiProcess, 'designer API listening', 'url'),
    logged(apiProcess, 'health and metrics endpoints listening', 'url'),
    logged(runnerProcess, 'health and metrics endpoints listening', 'url'),
    logged(syncProcess, 'health and metrics endpoints listening', 'url'),
  ]);
  await logged(runnerProcess, 'journey runner started', 'msg');
  const system: RunningSystem = {
    sandbox: Object.assign(sandboxProcess, { url: sandboxUrl }),
    api: Object.assign(apiProcess, { url: apiUrl, opsUrl: apiOps }),
    runner: Object.assign(runnerProcess, { opsUrl: runnerOps }),
    sync: Object.assign(syncProcess, { opsUrl: syncOps }),
    adAccountId,
    adAccountToken,
    cliPath: cli,
    all: () => [sandboxProcess, apiProcess, runnerProcess, syncProcess],
  };
  return system;
}
