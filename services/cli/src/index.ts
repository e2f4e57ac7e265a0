export { normalizeLine, normalizeCommand } from './normalize.command.js';
