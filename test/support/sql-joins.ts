import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One place where rows of two tables meet without workspace_id in the condition that joins them. */
export interface CrossKeyJoin {
  file: string;
  line: number;
  table: string;
  rule: string;
  text: string;
}

const maxSqlChars = 50_000; // no statement in the repositories comes near; bounds the scan

/** One SQL text of a source file: where it starts and the function that holds it. */
export interface SqlText {
  text: string;
  line: number;
  /** The name of the innermost named function around it, or '' at module level. */
  fn: string;
}

/** The name of the innermost named function (or variable holding one) around `node`. */
export function enclosingFunction(node: ts.Node, file: ts.SourceFile): string {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if ((ts.isFunctionDeclaration(at) || ts.isMethodDeclaration(at)) && at.name) return at.name.getText(file);
    if ((ts.isArrowFunction(at) || ts.isFunctionExpression(at)) && ts.isVariableDeclaration(at.parent))
      return at.parent.name.getText(file);
  }
  return '';
}

/** The SQL text of `sql` tagged templates (placeholders as $n) and of `sql.raw('…')` literals, with their lines. */
export function sqlTexts(file: ts.SourceFile): SqlText[] {
  const found: SqlText[] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && /^sql(<|$)/.test(node.tag.getText(file).replace(/\s/g, ''))) {
      const t = node.template;
      const text = ts.isNoSubstitutionTemplateLiteral(t)
        ? t.text
        : t.head.text + t.templateSpans.map((s, i) => `$${i + 1}${s.literal.text}`).join('');
      found.push({ text: text.slice(0, maxSqlChars), line: lineOf(node), fn: enclosingFunction(node, file) });
    }
    if (ts.isCallExpression(node) && node.expression.getText(file) === 'sql.raw') {
      const arg = node.arguments[0];
      if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)))
        found.push({ text: arg.text.slice(0, maxSqlChars), line: lineOf(node), fn: enclosingFunction(node, file) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Kysely joins: `.innerJoin('table as t', …)` and friends, with the text of their condition. */
function builderJoins(file: ts.SourceFile): { table: string; condition: string; line: number }[] {
  const found: { table: string; condition: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      /^(inner|left|right|full)Join$/.test(node.expression.name.text)
    ) {
      const [target, ...rest] = node.arguments;
      if (target && ts.isStringLiteral(target))
        found.push({
          table: target.text.split(/\s+as\s+/)[0]!.trim(),
          condition: rest.map((a) => a.getText(file)).join(' '),
          line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
        });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Index of the parenthesis closing the one at `open`. */
export function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

/** From `from`, the text up to the next clause at the same depth (another join, WHERE, …) or the enclosing `)`. */
function clauseAt(text: string, from: number): string {
  const stop =
    /^(\b(JOIN|LEFT|RIGHT|FULL|INNER|CROSS|WHERE|GROUP|ORDER|LIMIT|UNION|RETURNING|FOR|ON CONFLICT)\b|\)|,)/i;
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')' && depth > 0) depth -= 1;
    else if (depth === 0 && /\s/.test(text[i - 1] ?? ' ') && stop.test(text.slice(i))) return text.slice(from, i);
    else if (depth === 0 && c === ')') return text.slice(from, i);
  }
  return text.slice(from);
}

/** The first `word` after `from` at the statement's own depth, before the statement ends. */
function topLevel(text: string, from: number, word: RegExp): { index: number; word: string } | undefined {
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')' && --depth < 0) return undefined;
    else if (depth === 0 && /[\s,]/.test(text[i - 1] ?? ' ')) {
      const hit = word.exec(text.slice(i, i + 12));
      if (hit) return { index: i, word: hit[0].toUpperCase() };
    }
  }
  return undefined;
}

export const tablesReadBy = (text: string) =>
  [...text.matchAll(/\b(?:FROM|JOIN|UPDATE)\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]!);

/**
 * Joins in one SQL text whose rows come from a distributed table and whose condition lacks workspace_id:
 * `JOIN t ON …`, `JOIN (subquery) x ON …`, `JOIN LATERAL (…)` (the correlation is inside),
 * `UPDATE t … FROM x WHERE …`, and `EXISTS (SELECT … FROM t …)`.
 */
export function crossKeyJoinsIn(
  sqlText: string,
  distributed: (table: string) => boolean,
): Omit<CrossKeyJoin, 'file'>[] {
  const found: Omit<CrossKeyJoin, 'file'>[] = [];
  const lineAt = (index: number) => sqlText.slice(0, index).split('\n').length - 1;
  const report = (index: number, table: string, rule: string, text: string) =>
    found.push({ line: lineAt(index), table, rule, text: text.replace(/\s+/g, ' ').trim().slice(0, 200) });
  for (const m of sqlText.matchAll(/\bJOIN\s+(LATERAL\s+)?/gi)) {
    const at = m.index + m[0].length;
    const lateral = Boolean(m[1]);
    if (sqlText[at] === '(') {
      const end = closing(sqlText, at);
      const inner = sqlText.slice(at, end + 1);
      const read = tablesReadBy(inner).filter(distributed);
      if (read.length === 0) continue;
      const condition = lateral ? inner : clauseAt(sqlText, end + 1);
      if (!/workspace_id/.test(condition))
        report(m.index, read[0]!, `a ${lateral ? 'lateral ' : ''}join over ${read[0]} must equate workspace_id`, inner);
      continue;
    }
    const name = /^([a-z_][a-z0-9_]*)\s*(\()?/i.exec(sqlText.slice(at));
    if (!name || name[2] || !distributed(name[1]!)) continue; // a function such as unnest(…), or not distributed
    const condition = clauseAt(sqlText, at + name[0].length);
    if (!/\bON\b[\s\S]*workspace_id/i.test(condition))
      report(m.index, name[1]!, `a join with ${name[1]} must equate workspace_id in its ON condition`, condition);
  }
  for (const m of sqlText.matchAll(/\b(UPDATE|DELETE FROM)\s+([a-z_][a-z0-9_]*)\b/gi)) {
    if (!distributed(m[2]!)) continue;
    const from = topLevel(sqlText, m.index + m[0].length, /^\b(FROM|USING|WHERE|RETURNING)\b/i);
    if (!from || !/^(FROM|USING)$/i.test(from.word)) continue;
    const where = topLevel(sqlText, from.index, /^\bWHERE\b/i);
    const condition = where ? clauseAt(sqlText, where.index + 5) : '';
    if (!/workspace_id/.test(condition))
      report(m.index, m[2]!, `${m[1]} ${m[2]} … ${from.word} must equate workspace_id in its WHERE`, condition);
  }
  for (const m of sqlText.matchAll(/\bIN\s*\(\s*SELECT\b/gi)) {
    const open = sqlText.indexOf('(', m.index);
    const inner = sqlText.slice(open, closing(sqlText, open) + 1);
    const read = tablesReadBy(inner).filter(distributed);
    const before = sqlText.slice(Math.max(0, m.index - 120), m.index);
    if (read.length > 0 && !/workspace_id[^()]*\)?\s*$/.test(before) && !/workspace_id/.test(inner))
      report(m.index, read[0]!, `an IN (SELECT … FROM ${read[0]}) must compare workspace_id`, before + inner);
  }
  for (const m of sqlText.matchAll(/\bEXISTS\s*\(/gi)) {
    const open = m.index + m[0].length - 1;
    const inner = sqlText.slice(open, closing(sqlText, open) + 1);
    const read = tablesReadBy(inner).filter(distributed);
    if (read.length > 0 && !/workspace_id/.test(inner))
      report(m.index, read[0]!, `an EXISTS over ${read[0]} must equate workspace_id`, inner);
  }
  return found;
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every join between distributed tables in the SQL of `dirs` whose condition lacks workspace_id. */
export function crossKeyJoins(
  root: string,
  dirs: readonly string[],
  distributed: (t: string) => boolean,
): CrossKeyJoin[] {
  const found: CrossKeyJoin[] = [];
  for (const path of dirs.flatMap((d) => sourceFiles(join(root, d)))) {
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const name = relative(root, path);
    for (const { text, line } of sqlTexts(file))
      for (const j of crossKeyJoinsIn(text, distributed)) found.push({ ...j, file: name, line: line + j.line });
    for (const j of builderJoins(file))
      if (distributed(j.table) && !/workspace_id/.test(j.condition))
        found.push({
          file: name,
          line: j.line,
          table: j.table,
          rule: `a join with ${j.table} must equate workspace_id`,
          text: j.condition.replace(/\s+/g, ' ').slice(0, 200),
        });
  }
  return found;
}
