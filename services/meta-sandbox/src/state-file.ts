import { readFile, rename, writeFile } from 'node:fs/promises';
import { errorCode } from '@canvas/runtime';
import type { SandboxAudience } from './audience-store.js';
import type { SandboxAccount, SandboxState, SandboxToken } from './state.js';

type StoredAudience = Omit<SandboxAudience, 'members' | 'index' | 'addedAt' | 'sessions'> & {
  members: [number, Record<string, string>][];
  index: [string, number][];
  addedAt: [number, number][];
  sessions: [string, number][];
};

interface StoredState {
  version: 1;
  accounts: SandboxAccount[];
  tokens: SandboxToken[];
  audiences: StoredAudience[];
}

function snapshot(state: SandboxState): StoredState {
  return {
    version: 1,
    accounts: [...state.accounts.values()],
    tokens: [...state.tokens.values()],
    audiences: [...state.audiences.values()].map((a) => ({
      ...a,
      members: [...a.members],
      index: [...a.index],
      addedAt: [...a.addedAt],
      sessions: [...a.sessions],
    })),
  };
}

function restore(state: SandboxState, stored: StoredState): void {
  for (const account of stored.accounts) state.accounts.set(account.id, account);
  for (const token of stored.tokens) state.tokens.set(token.token, token);
  for (const a of stored.audiences) {
    state.audiences.set(a.id, {
      ...a,
      members: new Map(a.members),
      index: new Map(a.index),
      addedAt: new Map(a.addedAt),
      sessions: new Map(a.sessions),
    });
  }
}

/**
 * Keeps the emulator's accounts, tokens and audiences in a JSON file, so a restarted sandbox
 * still knows the audiences that launched canvases point at (development only).
 */
export async function persistState(
  state: SandboxState,
  path: string,
  intervalMs = 1000,
): Promise<{ restored: boolean; close: () => Promise<void> }> {
  let restored = false;
  try {
    restore(state, JSON.parse(await readFile(path, 'utf8')) as StoredState);
    restored = true;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  let last = JSON.stringify(snapshot(state));
  let writing = Promise.resolve();
  const save = () => {
    const text = JSON.stringify(snapshot(state));
    if (text === last) return writing;
    last = text;
    // write then rename: a kill mid-write leaves the previous file whole
    writing = writing.then(async () => {
      await writeFile(`${path}.tmp`, text, { mode: 0o600 });
      await rename(`${path}.tmp`, path);
    });
    return writing;
  };
  const timer = setInterval(() => void save(), intervalMs);
  timer.unref();
  return {
    restored,
    async close() {
      clearInterval(timer);
      await save();
    },
  };
}
