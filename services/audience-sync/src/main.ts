import { createServiceDatabase } from '@canvas/db';
import { createTokenCipher, loadConfig, refusePublishedTokenKey, runService } from '@canvas/runtime';
import { syncConfigSchema } from './config.js';
import { createAudienceSync } from './sync.js';

const config = loadConfig(syncConfigSchema, process.env);
refusePublishedTokenKey(config);
await runService({
  name: 'audience-sync',
  config,
  start: async ({ logger, registry }) => {
    const db = createServiceDatabase(config, 'canvas-audience-sync');
    const sync = createAudienceSync({
      config,
      db,
      logger,
      registry,
      cipher: createTokenCipher(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_PREVIOUS_KEYS),
    });
    return {
      readiness: sync.readiness,
      routes: { '/owned': async () => ({ metaAccountIds: sync.owned() }) },
      drain: [{ name: 'sync', close: sync.stop }],
      disconnect: [{ name: 'postgres', close: () => db.destroy() }],
      run: () => sync.start(),
    };
  },
});
