// The runner service itself; main.ts starts it once its heap limits are in place.
import { createServiceDatabase } from '@canvas/db';
import { loadConfig, runService } from '@canvas/runtime';
import { runnerConfigSchema } from './config.js';
import { createRunner } from './runner.js';

const config = loadConfig(runnerConfigSchema, process.env);
await runService({
  name: 'journey-runner',
  config,
  start: async ({ logger, registry }) => {
    const db = createServiceDatabase(config, 'canvas-journey-runner');
    const runner = await createRunner({
      config,
      db,
      logger,
      registry,
      onFatal: () => {
        logger.fatal('the Kafka consumer stopped for good; exiting so the supervisor restarts this runner');
        process.exit(1);
      },
    });
    return {
      readiness: runner.readiness,
      drain: [{ name: 'runner', close: runner.stop }],
      disconnect: [{ name: 'postgres', close: () => db.destroy() }],
      run: runner.start,
    };
  },
});
