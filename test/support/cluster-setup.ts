import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import globalSetup from './global-setup.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../deploy/local/kafka-cluster.sh', import.meta.url));

/** Starts the local three-node cluster and points every test at it. */
export default async function clusterSetup(): Promise<void> {
  await run('bash', [script, 'start'], { timeout: 300_000 });
  process.env.KAFKA_BROKERS = (await run('bash', [script, 'brokers'])).stdout.trim();
  process.env.KAFKA_CLUSTER_SCRIPT = script;
  await globalSetup();
}
