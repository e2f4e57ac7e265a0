export { buildSandbox, startSandbox, type SandboxOptions, type RunningSandbox } from './app.js';
export { SandboxState, type SandboxAccount, type SandboxToken, type LoggedRequest } from './state.js';
export { defaultSettings, type SandboxSettings } from './sandbox-config.js';
export type { FaultSpec } from './fault-injector.js';
export { persistState } from './state-file.js';
