import { fileURLToPath } from 'node:url';

/** The built console (index.html, app.js, app.css), which the API serves at /console. */
export const consoleAssetsDir = fileURLToPath(new URL('./dist/', import.meta.url));
