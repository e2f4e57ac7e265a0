import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import globalTeardown from './global-teardown.ts';

/** Stops the three-node cluster the setup started. */
export default async function clusterTeardown(): Promise<void> {
  await globalTeardown();
  const script = process.env.KAFKA_CLUSTER_SCRIPT;
  if (script) await promisify(execFile)('bash', [script, 'stop'], { timeout: 120_000 });
}
