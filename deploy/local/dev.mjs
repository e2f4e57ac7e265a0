// `make dev`: the whole system on this machine. Starts (or reuses) Kafka and PostgreSQL,
// applies migrations, runs the Graph API sandbox, the API, a journey runner and an audience
// sync, prepares a demo workspace with a connected sandbox ad account, and stops it all on Ctrl-C.
// A service that dies is started again (the sandbox keeps its audiences in .local/).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const envFile = `${root}.local/dev.env`;
const say = (text) => process.stdout.write(`${text}\n`);
const tty = process.stdout.isTTY;
const color = (code, text) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);

function readEnvFile() {
  if (!existsSync(envFile)) return {};
  return Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

function writeEnvFile(values) {
  mkdirSync(`${root}.local`, { recursive: true });
  writeFileSync(
    envFile,
    `${Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
}

const saved = readEnvFile();
const dev = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/canvas',
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  TOKEN_ENCRYPTION_KEY: saved.TOKEN_ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
  SANDBOX_ACCOUNT: saved.SANDBOX_ACCOUNT ?? '1234567890',
  SANDBOX_TOKEN: saved.SANDBOX_TOKEN ?? `EAAB${randomBytes(18).toString('base64url')}`,
  API_URL: 'http://127.0.0.1:8080',
  SANDBOX_URL: 'http://127.0.0.1:8090',
  API_OPS_URL: 'http://127.0.0.1:9103',
  RUNNER_OPS_URL: 'http://127.0.0.1:9101',
  SYNC_OPS_URL: 'http://127.0.0.1:9102',
  API_KEY: saved.API_KEY ?? '',
  WORKSPACE_ID: saved.WORKSPACE_ID ?? '',
};

// the encryption key must outlive this run, or stored tokens could not be read again
writeEnvFile(dev);

// infrastructure: reuse what runs, start what does not
const kafkaWasRunning = (() => {
  try {
    execFileSync('bash', [`${root}deploy/local/kafka.sh`, 'status'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
execFileSync('bash', [`${root}deploy/local/up.sh`], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: dev.DATABASE_URL },
});

const common = {
  ...process.env,
  DATABASE_URL: dev.DATABASE_URL,
  KAFKA_BROKERS: dev.KAFKA_BROKERS,
  TOKEN_ENCRYPTION_KEY: dev.TOKEN_ENCRYPTION_KEY,
  META_GRAPH_URL: dev.SANDBOX_URL,
  LOG_FORMAT: 'json',
};
const services = [
  {
    name: 'sandbox',
    tint: 35,
    main: 'services/meta-sandbox/dist/main.js',
    env: {
      SANDBOX_ADMIN: 'true',
      SANDBOX_SEED_ACCOUNTS: `${dev.SANDBOX_ACCOUNT}:${dev.SANDBOX_TOKEN},1234567890:EAAB-example-token-0001`,
      SANDBOX_STATE_FILE: `${root}.local/sandbox-state.json`,
    },
  },
  {
    name: 'api',
    tint: 36,
    main: 'services/api/dist/main.js',
    // Facebook Login against the sandbox's app (its default id and secret) and its dialog
    env: {
      META_APP_ID: '1000000000000001',
      META_APP_SECRET: 'sandbox-app-secret',
      FACEBOOK_LOGIN_DIALOG_URL: dev.SANDBOX_URL,
      FACEBOOK_LOGIN_REDIRECT_URI: `${dev.API_URL}/v1/facebook-login/callback`,
      FACEBOOK_LOGIN_RETURN_URL: `${dev.API_URL}/console/#/ad-accounts`,
    },
  },
  { name: 'runner', tint: 33, main: 'services/journey-runner/dist/main.js', env: {} },
  { name: 'sync', tint: 32, main: 'services/audience-sync/dist/main.js', env: {} },
];
const levels = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function show(service, line) {
  if (!tty) return say(line.startsWith('{') ? line : JSON.stringify({ service: service.name, msg: line }));
  let text = line;
  try {
    const entry = JSON.parse(line);
    const { level, time, msg, service: _s, ...rest } = entry;
    const fields = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const label = typeof level === 'string' ? level.toUpperCase() : (levels[level] ?? 'INFO');
    text = `${label.padEnd(5)} ${msg ?? ''}${fields ? color(90, ` ${fields}`) : ''}`;
    void time;
  } catch {
    // not JSON: show as it is
  }
  say(`${color(service.tint, service.name.padEnd(7))} ${text}`);
}

const children = new Map();
const restarts = new Map();
let stopping = false;

function startService(service) {
  const child = spawn(process.execPath, [`${root}${service.main}`], {
    env: { ...common, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => show(service, line));
  const startedAt = Date.now();
  child.on('exit', (code, signal) => {
    if (stopping) return;
    // a service that keeps dying right after start is restarted less and less often
    const quick = Date.now() - startedAt < 10_000 ? (restarts.get(service.name) ?? 0) + 1 : 0;
    restarts.set(service.name, quick);
    const delayMs = Math.min(30_000, 1000 * 2 ** Math.max(0, quick - 1));
    say(color(31, `${service.name} exited (${code ?? signal}); restarting it in ${delayMs / 1000} s`));
    setTimeout(() => {
      if (!stopping) startService(service);
    }, delayMs);
  });
  children.set(service.name, child);
}
for (const service of services) startService(service);

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say('\nstopping services…');
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  if (!kafkaWasRunning) execFileSync('bash', [`${root}deploy/local/kafka.sh`, 'stop'], { stdio: 'inherit' });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function waitReady(url, what) {
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not become ready at ${url}`);
}

async function api(method, path, body) {
  const response = await fetch(`${dev.API_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${dev.API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

try {
  await Promise.all([
    waitReady(`${dev.API_URL}/readyz`, 'the API'),
    waitReady(`${dev.SANDBOX_URL}/healthz`, 'the sandbox'),
    waitReady(`${dev.RUNNER_OPS_URL}/healthz`, 'the runner'),
    waitReady(`${dev.SYNC_OPS_URL}/healthz`, 'the sync'),
  ]);
  if (!dev.API_KEY || (await api('GET', '/v1/workspace')).status !== 200) {
    const created = JSON.parse(
      execFileSync(process.execPath, [`${root}services/cli/dist/main.js`, 'workspace', 'create', '--name', 'Demo'], {
        env: { ...process.env, DATABASE_URL: dev.DATABASE_URL },
      }).toString(),
    );
    dev.API_KEY = created.apiKey;
  }
  dev.WORKSPACE_ID = (await api('GET', '/v1/workspace')).body.id;
  writeEnvFile(dev);
  const accounts = await api('GET', '/v1/ad-accounts');
  const existing = accounts.body.data.find((a) => a.adAccountId === `act_${dev.SANDBOX_ACCOUNT}`);
  if (!existing) {
    const connected = await api('POST', '/v1/ad-accounts', {
      adAccountId: `act_${dev.SANDBOX_ACCOUNT}`,
      accessToken: dev.SANDBOX_TOKEN,
    });
    if (connected.status !== 201)
      throw new Error(`connecting the sandbox ad account failed: ${JSON.stringify(connected.body)}`);
  } else if (existing.status !== 'connected') {
    await api('PUT', `/v1/ad-accounts/${existing.id}/token`, { accessToken: dev.SANDBOX_TOKEN });
  }
  const consumingAfter = Date.now();
  say('waiting for the journey runner to join its consumer group…');
  await waitReady(`${dev.RUNNER_OPS_URL}/readyz`, 'the runner (consumer group)');
  say(`journey runner is consuming (${((Date.now() - consumingAfter) / 1000).toFixed(1)} s after the API was ready)`);
  say('');
  say(color(1, 'Canvas journey engine is running.'));
  say(`  API key (demo workspace)  ${dev.API_KEY}`);
  say(`  workspace id              ${dev.WORKSPACE_ID}   (producers put it in the "workspace-id" header)`);
  say(`  console                   ${dev.API_URL}/console/   (sign in with the API key above)`);
  say(
    `  API                       ${dev.API_URL}        docs: ${dev.API_URL}/docs   ` +
      `OpenAPI: ${dev.API_URL}/openapi.json`,
  );
  say(
    `  metrics                   ${dev.API_OPS_URL}/metrics   ` +
      `${dev.RUNNER_OPS_URL}/metrics   ${dev.SYNC_OPS_URL}/metrics`,
  );
  say(`  Graph API sandbox         ${dev.SANDBOX_URL}/_sandbox/audiences   (ad account act_${dev.SANDBOX_ACCOUNT})`);
  say(`  events topic              canvas.user-events on ${dev.KAFKA_BROKERS} (dead letters: canvas.user-events.dlq)`);
  say('');
  say(`Next, in another terminal:  ${color(1, 'make demo')}      (Ctrl-C here stops everything)`);
  say('');
} catch (error) {
  say(color(31, String(error instanceof Error ? error.message : error)));
  await stop(1);
}
