import { fileURLToPath } from 'node:url';
import { startNode, type RunningProcess } from './process.ts';
import { waitFor } from './wait.ts';

const runnerMain = fileURLToPath(new URL('../../services/journey-runner/dist/main.js', import.meta.url));
const syncMain = fileURLToPath(new URL('../../services/audience-sync/dist/main.js', import.meta.url));

export interface ServiceProcess extends RunningProcess {
  /** The ops server's URL, read from the start-up log line. */
  opsUrl: () => Promise<string>;
}

function withOpsUrl(process: RunningProcess): ServiceProcess {
  return {
    ...process,
    opsUrl: () =>
      waitFor(
        () =>
          /"msg":"health and metrics endpoints listening"/.test(process.output()) &&
          /"url":"(http:\/\/[^"]+)","msg":"health and metrics/.exec(process.output())?.[1],
        { what: 'the ops endpoint', timeoutMs: 60_000 },
      ) as Promise<string>,
  };
}

/** A journey runner as its own process (the built service), logging JSON. */
export function startRunnerProcess(env: Record<string, string>): ServiceProcess {
  // a short session lets a killed runner's partitions move on quickly
  return withOpsUrl(
    startNode([runnerMain], {
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      OPS_PORT: '0',
      KAFKA_SESSION_TIMEOUT: '6s',
      KAFKA_HEARTBEAT_INTERVAL: '1s',
      ...env,
    }),
  );
}

export function startSyncProcess(env: Record<string, string>): ServiceProcess {
  return withOpsUrl(startNode([syncMain], { LOG_FORMAT: 'json', LOG_LEVEL: 'info', OPS_PORT: '0', ...env }));
}

/** Waits for a log line with this message. */
export function waitForLog(process: RunningProcess, message: string, timeoutMs = 60_000): Promise<unknown> {
  return waitFor(
    () => {
      if (process.child.exitCode !== null)
        throw new Error(
          `process exited (${process.child.exitCode}) before "${message}":\n${process.output().slice(-3000)}`,
        );
      return process.output().includes(`"msg":"${message}"`);
    },
    { what: `log "${message}"`, timeoutMs },
  );
}

/** Reads one metric's value (summed over the given label filter) from a Prometheus text page. */
export async function readMetric(opsUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.split(' ').pop());
  }
  return total;
}
