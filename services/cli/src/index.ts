export { normalizeLine, normalizeCommand } from './normalize.command.js';
export { offsetsCommand } from './offsets.command.js';
