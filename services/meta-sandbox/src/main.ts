import { createServiceLogger, handleShutdown, loadConfig } from '@canvas/runtime';
import { startSandbox } from './app.js';
import { sandboxConfigSchema } from './config.js';
import { persistState } from './state-file.js';
import { bareAdAccountId } from '@canvas/meta-graph';

const config = loadConfig(sandboxConfigSchema, process.env);
const logger = createServiceLogger('meta-sandbox', config);

const sandbox = await startSandbox({
  host: config.SANDBOX_HOST,
  port: config.SANDBOX_PORT,
  admin: config.SANDBOX_ADMIN,
  timeScale: config.SANDBOX_TIME_SCALE,
  seed: config.SANDBOX_SEED,
  settings: { minRemovalSize: config.SANDBOX_MIN_REMOVAL_SIZE, quotaBase: config.SANDBOX_QUOTA_BASE },
});
const stateFile = config.SANDBOX_STATE_FILE ? await persistState(sandbox.state, config.SANDBOX_STATE_FILE) : undefined;
if (stateFile?.restored)
  logger.info({ file: config.SANDBOX_STATE_FILE, audiences: sandbox.state.audiences.size }, 'sandbox state restored');
for (const pair of config.SANDBOX_SEED_ACCOUNTS.split(',').filter(Boolean)) {
  const [accountId, token] = pair.split(':');
  if (!accountId || !token || sandbox.state.tokens.has(token)) continue;
  sandbox.state.createAccount({ id: accountId, name: `Demo account ${accountId}` });
  sandbox.state.createToken({ token, adAccounts: [bareAdAccountId(accountId)] });
}
logger.info(
  { url: sandbox.url, admin: config.SANDBOX_ADMIN, timeScale: config.SANDBOX_TIME_SCALE },
  'Graph API sandbox listening',
);
handleShutdown({
  logger,
  closers: [
    { name: 'http', close: sandbox.close },
    ...(stateFile ? [{ name: 'state-file', close: stateFile.close }] : []),
  ],
});
