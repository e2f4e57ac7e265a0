/**
 * V8 sizes its heap from the machine's memory, not the container's: on a large host the young
 * generation alone grows to 128 MB and the old one is collected late, so a runner working off a
 * backlog kept ~450 MB resident. The runner bounds both itself unless the operator set them:
 * 32 MB semi-spaces (8 MB cost about 15 µs of scavenging an event) and the deployed old space.
 */
export const runnerHeapFlags: Readonly<Record<string, string>> = {
  '--max-semi-space-size': '32',
  '--max-old-space-size': '256',
};

/** The flags to add: those of `runnerHeapFlags` set neither on the command line nor in NODE_OPTIONS. */
export function missingHeapFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map((flag) =>
    flag.split('=')[0]!.replace(/_/g, '-'),
  );
  return Object.entries(runnerHeapFlags)
    .filter(([flag]) => !given.includes(flag))
    .map(([flag, value]) => `${flag}=${value}`);
}

/** Replaces this process (same pid, same signals) by itself with the missing heap flags. */
export function ensureHeapLimits(): void {
  const flags = missingHeapFlags(process.execArgv, process.env.NODE_OPTIONS);
  if (flags.length === 0 || typeof process.execve !== 'function') return;
  process.execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)]);
}
