export { buildApi } from './app.js';
export { startApiOps } from './ops.js';
export { apiConfigSchema, type ApiConfig } from './config.js';
export { generateApiKey, hashApiKey } from './api-key.js';
export type { ApiDeps } from './deps.js';
export { createWorkspaceWithKey } from './workspace-bootstrap.js';
export { estimateReach } from './segment-estimate.js';
export { canvasAccountProblems, type AccountProblem } from './canvas-account-problems.js';
export { resealUnboundTokens } from './token-reseal.js';
