export { createRunner, type Runner, type RunnerDeps } from './runner.js';
export { runnerConfigSchema, type RunnerConfig } from './config.js';
export { CanvasIndex } from './canvas-index.js';
