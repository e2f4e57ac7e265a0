// import-x/no-cycle skips type-only imports; this rule follows them too, among a package's own files.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const relativeSource = /(?:^|[\n;])\s*(?:import|export)\b(?:[^'";]*?\bfrom)?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
const parsed = new Map();

/** The file a relative specifier names: `./a.js` is `./a.ts` in the sources. */
function resolveSource(from, specifier) {
  const target = path.resolve(path.dirname(from), specifier);
  for (const candidate of [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'), target]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this spelling
    }
  }
  return undefined;
}

/** The files a source file imports or re-exports by relative path, type-only ones included. */
function importsOf(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const known = parsed.get(file);
  if (known && known.mtime === mtime) return known.imports;
  const text = readFileSync(file, 'utf8');
  const imports = [...new Set([...text.matchAll(relativeSource)].map((m) => resolveSource(file, m[1])))].filter(
    (f) => f !== undefined,
  );
  parsed.set(file, { mtime, imports });
  return imports;
}

/** The shortest import path from `start` back to `goal`, or undefined. */
function pathBack(start, goal) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const next of importsOf(file)) {
      if (next === goal) {
        const route = [file];
        for (let at = previous.get(file); at !== undefined; at = previous.get(at)) route.unshift(at);
        return route;
      }
      if (previous.has(next)) continue;
      previous.set(next, file);
      queue.push(next);
    }
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles among relative imports, type-only imports included.' },
    schema: [],
    messages: { cycle: 'Import cycle (type-only imports count): {{route}}' },
  },
  create(context) {
    const filename = context.physicalFilename;
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolveSource(filename, specifier);
      if (target === undefined || target === filename) return;
      const route = pathBack(target, filename);
      if (!route) return;
      const names = [filename, ...route, filename].map((f) => path.relative(path.dirname(filename), f) || '.');
      context.report({ node, messageId: 'cycle', data: { route: names.join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
