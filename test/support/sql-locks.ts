import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { closing, enclosingFunction, sourceFiles, sqlTexts, tablesReadBy } from './sql-joins.ts';

/** A statement that takes row locks over a distributed table without naming one workspace. */
export interface MultiShardLock {
  file: string;
  line: number;
  /** The function the statement is in (how the known exceptions are named). */
  fn: string;
  table: string;
  text: string;
}

const lockClause = /\bFOR\s+(?:NO\s+KEY\s+UPDATE|KEY\s+SHARE|UPDATE|SHARE)\b/gi;
// `workspace_id = $n` or `$n = workspace_id`, with or without an alias or a cast
const workspaceEquality = /\bworkspace_id\s*=\s*\$\d+|\$\d+(?:::\w+)?\s*=\s*(?:\w+\.)?workspace_id\b/i;

/** The text with `-- comments` blanked out, lines kept. */
const withoutComments = (text: string) => text.replace(/--[^\n]*/g, (c) => ' '.repeat(c.length));

/** Where the query block around `at` starts: after the `(` that encloses it, or at the text's start. */
function blockStart(text: string, at: number): number {
  let depth = 0;
  for (let i = at - 1; i >= 0; i -= 1) {
    if (text[i] === ')') depth += 1;
    else if (text[i] === '(' && depth-- === 0) return i + 1;
  }
  return 0;
}

/** The block's own text: what nested parentheses hold (subqueries, arguments) is blanked out. */
function ownText(block: string): string {
  let own = '';
  for (let i = 0; i < block.length; i += 1) {
    if (block[i] !== '(') own += block[i];
    else {
      const end = closing(block, i);
      own += ' '.repeat(end - i + 1);
      i = end;
    }
  }
  return own;
}

/**
 * Row-locking clauses (`FOR UPDATE`, `FOR NO KEY UPDATE`, `FOR SHARE`, `FOR KEY SHARE`) in one SQL
 * text whose query block reads a distributed table but does not equate workspace_id to a
 * parameter at its own level. Citus takes row locks only in a statement that runs on one shard.
 */
export function multiShardLocksIn(
  sqlText: string,
  distributed: (table: string) => boolean,
): Omit<MultiShardLock, 'file' | 'fn'>[] {
  const text = withoutComments(sqlText);
  const found: Omit<MultiShardLock, 'file' | 'fn'>[] = [];
  for (const m of text.matchAll(lockClause)) {
    const block = text.slice(blockStart(text, m.index), m.index);
    // the tables the block locks come first; its subqueries' after
    const read = [...tablesReadBy(ownText(block)), ...tablesReadBy(block)].filter(distributed);
    if (read.length === 0 || workspaceEquality.test(ownText(block))) continue;
    found.push({
      line: text.slice(0, m.index).split('\n').length - 1,
      table: read[0]!,
      text: `${block} ${m[0]}`.replace(/\s+/g, ' ').trim().slice(0, 200),
    });
  }
  return found;
}

const builderLocks = /^for(Update|NoKeyUpdate|Share|KeyShare)$/;

/** Kysely chains ending in `.forUpdate()` and friends: their tables, and whether they filter workspace_id by `=`. */
interface BuilderLock {
  line: number;
  fn: string;
  tables: string[];
  routed: boolean;
  chain: string;
}

function builderLocksIn(file: ts.SourceFile): BuilderLock[] {
  const found: BuilderLock[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      builderLocks.test(node.expression.name.text)
    ) {
      const tables: string[] = [];
      const chain = node.getText(file).replace(/\s+/g, ' ').slice(0, 200);
      let routed = false;
      for (let at: ts.Expression = node.expression.expression; ts.isCallExpression(at);) {
        if (!ts.isPropertyAccessExpression(at.expression)) break;
        const [first, second] = at.arguments;
        const name = at.expression.name.text;
        if (/^(selectFrom|(inner|left|right|full)Join)$/.test(name) && first && ts.isStringLiteral(first))
          tables.push(first.text.split(/\s+as\s+/)[0]!.trim());
        if (
          name === 'where' &&
          first &&
          ts.isStringLiteral(first) &&
          /(^|\.)workspace_id$/.test(first.text) &&
          second &&
          ts.isStringLiteral(second) &&
          second.text === '='
        )
          routed = true;
        at = at.expression.expression;
      }
      const where = node.expression.name.getStart(file);
      found.push({
        line: file.getLineAndCharacterOfPosition(where).line + 1,
        fn: enclosingFunction(node, file),
        tables,
        routed,
        chain,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Row-locking statements of one source file (SQL or kysely) over a distributed table that name no one workspace. */
export function multiShardLocksInSource(
  name: string,
  source: string,
  distributed: (t: string) => boolean,
): MultiShardLock[] {
  const file = ts.createSourceFile(name, source, ts.ScriptTarget.Latest, true);
  const found: MultiShardLock[] = [];
  for (const { text, line, fn } of sqlTexts(file))
    for (const lock of multiShardLocksIn(text, distributed))
      found.push({ ...lock, file: name, fn, line: line + lock.line });
  for (const lock of builderLocksIn(file)) {
    const table = lock.tables.find(distributed);
    if (table !== undefined && !lock.routed)
      found.push({ file: name, line: lock.line, fn: lock.fn, table, text: lock.chain });
  }
  return found;
}

/** Every row-locking statement in the SQL of `dirs` that reads a distributed table without naming one workspace. */
export function multiShardLocks(
  root: string,
  dirs: readonly string[],
  distributed: (t: string) => boolean,
): MultiShardLock[] {
  return dirs
    .flatMap((d) => sourceFiles(join(root, d)))
    .flatMap((path) => multiShardLocksInSource(relative(root, path), readFileSync(path, 'utf8'), distributed));
}
