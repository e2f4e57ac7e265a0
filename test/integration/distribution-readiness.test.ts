import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { coordinatorTables, distributionColumn, referenceTables, undistributedReason } from '@canvas/db';
import { createTestDatabase, type TestDatabase } from '@canvas/test-support';
import { crossKeyJoins, crossKeyJoinsIn } from '../support/sql-joins.ts';

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
});
