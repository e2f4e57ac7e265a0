// Bundles the console into dist/: one script, one stylesheet, one page; no inline code, so the
// API can serve it under a Content-Security-Policy without 'unsafe-inline'.
import { copyFile, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';

const here = new URL('./', import.meta.url);
const dist = new URL('./dist/', here);
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [new URL('./src/main.tsx', here).pathname],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: new URL('./app.js', dist).pathname,
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) await copyFile(new URL(`./static/${file}`, here), new URL(file, dist));
