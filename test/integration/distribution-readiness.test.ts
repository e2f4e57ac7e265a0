import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { coordinatorTables, distributionColumn, referenceTables, undistributedReason } from '@canvas/db';
import { createTestDatabase, type TestDatabase } from '@canvas/test-support';
import { crossKeyJoins, crossKeyJoinsIn } from '../support/sql-joins.ts';
import { multiShardLocks, multiShardLocksIn, multiShardLocksInSource } from '../support/sql-locks.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// where the product's SQL lives: the repositories and the services
const sqlDirs = ['packages/db/src', 'services/api/src', 'services/journey-runner/src', 'services/audience-sync/src'];

interface Catalog {
  tables: Map<string, Set<string>>;
  uniques: { table: string; index: string; columns: string[] }[];
  foreignKeys: { table: string; name: string; columns: string[]; referenced: string; referencedColumns: string[] }[];
}

/** Tables (partitions speak through their parent), their columns, unique indexes and foreign keys, as migrated. */
async function readCatalog(database: TestDatabase): Promise<Catalog> {
  const columns = await sql<{ table: string; column: string }>`
    SELECT c.relname AS table, a.attname AS column FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition`.execute(
    database.db,
  );
  const tables = new Map<string, Set<string>>();
  for (const r of columns.rows) (tables.get(r.table) ?? tables.set(r.table, new Set()).get(r.table)!).add(r.column);
  // key columns only (not INCLUDE), primary keys and partial unique indexes alike
  const uniques = await sql<{ table: string; index: string; columns: string[] }>`
    SELECT t.relname AS table, x.relname AS index,
      array(SELECT a.attname FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY k(n, o) JOIN pg_attribute a
        ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
    WHERE i.indisunique AND t.relnamespace = 'public'::regnamespace AND NOT t.relispartition`.execute(database.db);
  const foreignKeys = await sql<Catalog['foreignKeys'][number]>`
    SELECT t.relname AS table, f.conname AS name, r.relname AS referenced,
      array(SELECT a.attname FROM unnest(f.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a
        ON a.attrelid = f.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
      array(SELECT a.attname FROM unnest(f.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a
        ON a.attrelid = f.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS "referencedColumns"
    FROM pg_constraint f JOIN pg_class t ON t.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
    WHERE f.contype = 'f' AND f.connamespace = 'public'::regnamespace AND NOT t.relispartition`.execute(database.db);
  return { tables, uniques: uniques.rows, foreignKeys: foreignKeys.rows };
}

// row locks that still span workspaces (file and function), each with why: docs/scaling.md, "What still fans out"
const multiWorkspaceLocks: Readonly<Record<string, string>> = {
  'packages/db/src/profile.repository.ts lockExisting':
    "the event path locks a chunk's profiles, many workspaces, in one statement (one per workspace costs the hot path)",
  'packages/db/src/entry-count.repository.ts lockEntryCounts':
    "the event path locks the chunk's capped canvases' counts, many workspaces, in one statement, by canvas id",
};

describe('the schema is ready to be distributed by workspace (docs/scaling.md)', () => {
  let database: TestDatabase;
  let catalog: Catalog;
  const distributed = (table: string) => catalog.tables.has(table) && undistributedReason(table) === undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    catalog = await readCatalog(database);
  });
  afterAll(async () => database.drop());

  it('gives every table a workspace_id, or a reason in packages/db/src/distribution.ts', () => {
    const broken = [...catalog.tables.keys()]
      .filter((t) => undistributedReason(t) === undefined && !catalog.tables.get(t)!.has(distributionColumn))
      .map((t) => `${t}: has no ${distributionColumn} and is not named a reference or coordinator table`);
    expect(broken).toEqual([]);
    const stale = Object.keys({ ...referenceTables, ...coordinatorTables }).filter((t) => !catalog.tables.has(t));
    expect(stale).toEqual([]);
  });

  it('includes workspace_id in every primary key and unique index of a distributed table', () => {
    const broken = catalog.uniques
      .filter((u) => distributed(u.table) && !u.columns.includes(distributionColumn))
      .map((u) => `${u.table}: unique index ${u.index} (${u.columns.join(', ')}) lacks ${distributionColumn}`);
    expect(broken).toEqual([]);
  });

  it('names workspace_id at the same place on both sides of a foreign key between distributed tables', () => {
    const broken = catalog.foreignKeys.flatMap((f) => {
      if (!distributed(f.referenced)) return []; // a reference table may be referenced from anywhere
      if (!distributed(f.table))
        return [`${f.table}: foreign key ${f.name} points from an undistributed table into ${f.referenced}`];
      const at = f.columns.indexOf(distributionColumn);
      return at >= 0 && f.referencedColumns[at] === distributionColumn
        ? []
        : [`${f.table}: foreign key ${f.name} to ${f.referenced} does not pair ${distributionColumn} on both sides`];
    });
    expect(broken).toEqual([]);
  });

  it('joins distributed tables only on workspace_id, in every statement of the repositories and services', () => {
    const broken = crossKeyJoins(root, sqlDirs, distributed).map((j) => `${j.file}:${j.line} ${j.rule}: ${j.text}`);
    expect(broken).toEqual([]);
  });

  it('catches a join, an UPDATE … FROM, an EXISTS and an IN (SELECT) across distribution keys', () => {
    const rules = (text: string) => crossKeyJoinsIn(text, distributed).map((j) => j.rule);
    expect(rules('SELECT 1 FROM timers t JOIN canvases c ON c.id = t.canvas_id')).toEqual([
      'a join with canvases must equate workspace_id in its ON condition',
    ]);
    expect(
      rules('SELECT 1 FROM timers t JOIN canvases c ON c.workspace_id = t.workspace_id AND c.id = t.canvas_id'),
    ).toEqual([]);
    expect(rules('UPDATE audience_entries e SET status = $1 FROM picked p WHERE e.id = p.id')).toHaveLength(1);
    expect(
      rules('SELECT 1 FROM erasures x WHERE NOT EXISTS (SELECT 1 FROM erasure_removals r WHERE r.erasure_id = x.id)'),
    ).toHaveLength(1);
    expect(
      rules('DELETE FROM processed_messages WHERE ctid IN (SELECT ctid FROM processed_messages LIMIT 5)'),
    ).toHaveLength(1);
    expect(
      rules('SELECT 1 FROM user_profiles p JOIN unnest($1::uuid[], $2::text[]) AS k(w, u) ON p.user_id = k.u'),
    ).toEqual([]);
    expect(rules('SELECT 1 FROM consumer_offsets o JOIN workspaces w ON true')).toEqual([]);
  });

  it('takes row locks over distributed tables only in statements that name one workspace', () => {
    const found = multiShardLocks(root, sqlDirs, distributed);
    const broken = found
      .filter((l) => multiWorkspaceLocks[`${l.file} ${l.fn}`] === undefined)
      .map((l) => `${l.file}:${l.line} (${l.fn}) locks ${l.table} without workspace_id = $n: ${l.text}`);
    expect(broken).toEqual([]);
    const stale = Object.keys(multiWorkspaceLocks).filter((k) => !found.some((l) => `${l.file} ${l.fn}` === k));
    expect(stale).toEqual([]);
  });

  it('catches a row lock that spans workspaces', () => {
    const tables = (text: string) => multiShardLocksIn(text, distributed).map((l) => l.table);
    expect(
      tables('SELECT * FROM timers t WHERE t.due_at <= $1 ORDER BY t.due_at LIMIT $2 FOR UPDATE OF t SKIP LOCKED'),
    ).toEqual(['timers']);
    expect(
      tables('SELECT * FROM timers t WHERE t.workspace_id = $1 AND t.due_at <= $2 FOR UPDATE OF t SKIP LOCKED'),
    ).toEqual([]);
    expect(tables('SELECT * FROM segment_runs r WHERE r.workspace_id = ANY($1) FOR NO KEY UPDATE')).toEqual([
      'segment_runs',
    ]);
    // the workspace must be named where the lock is taken, not only in a subquery or another CTE
    expect(
      tables(`WITH w AS (SELECT workspace_id FROM canvases WHERE workspace_id = $1)
        SELECT * FROM audience_entries e WHERE e.canvas_id IN (SELECT id FROM canvases WHERE workspace_id = $1)
        FOR SHARE OF e`),
    ).toEqual(['audience_entries']);
    expect(tables('SELECT 1 FROM (SELECT id FROM dry_runs WHERE $1 = workspace_id FOR UPDATE) d')).toEqual([]);
    expect(tables('SELECT id FROM workspaces WHERE id = $1 FOR UPDATE')).toEqual([]);
    expect(tables('SELECT 1 FROM consumer_offsets WHERE topic = $1 FOR UPDATE')).toEqual([]);
    expect(tables('SELECT 1 FROM timers -- wait for update\nWHERE workspace_id = $1')).toEqual([]);
  });

  it('names the file, line and function of a lock that spans workspaces, in SQL and in a kysely chain', () => {
    const source = [
      "import { sql } from 'kysely';",
      'export async function claimAny(tx, now) {',
      '  return sql`SELECT * FROM segment_runs r',
      '    WHERE r.scheduled_at <= ${now}',
      '    FOR UPDATE OF r SKIP LOCKED`.execute(tx);',
      '}',
      'export const lockCounts = (tx, ids) =>',
      "  tx.selectFrom('canvas_entry_counts').selectAll().where('canvas_id', 'in', ids).forUpdate().execute();",
      'export const lockCanvas = (tx, w, id) =>',
      "  tx.selectFrom('canvases').selectAll().where('workspace_id', '=', w).where('id', '=', id).forUpdate();",
    ].join('\n');
    const found = multiShardLocksInSource('synthetic.ts', source, distributed).map(
      (l) => `${l.file}:${l.line} (${l.fn}) ${l.table}`,
    );
    expect(found).toEqual([
      'synthetic.ts:5 (claimAny) segment_runs',
      'synthetic.ts:8 (lockCounts) canvas_entry_counts',
    ]);
  });
});
