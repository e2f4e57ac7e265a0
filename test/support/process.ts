import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const running = new Set<RunningProcess>();

// a failed test must not leave its processes behind
process.on('exit', () => {
  for (const p of running) p.child.kill('SIGKILL');
});

/** Kills every process a test started that is still running. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Sends a signal and waits for the exit; resolves with the exit code or signal name. */
  stop: (signal?: NodeJS.Signals) => Promise<number | string>;
  exited: Promise<number | string>;
}

/** Starts a Node program as a child process, keeping its output for failure messages. */
export function startNode(args: readonly string[], env: NodeJS.ProcessEnv): RunningProcess {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  const keep = (chunk: Buffer) => {
    chunks.push(chunk.toString('utf8'));
    if (chunks.length > 2000) chunks.splice(0, 1000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(handle);
    return (code ?? signal) as number | string;
  });
  const handle: RunningProcess = {
    child,
    output: () => chunks.join(''),
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  running.add(handle);
  return handle;
}
