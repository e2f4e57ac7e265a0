import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import ts from 'typescript';
import { audienceStatuses, journeyStatuses } from '@canvas/canvas';
import { dryRunStatuses, insertAudienceEntries, type NewAudienceEntry } from '@canvas/db';
import { createTestDatabase, type TestDatabase } from '@canvas/test-support';

type Columns = Record<string, Record<string, 'null' | 'not null'>>;

/** The tables, columns and nullability that packages/db/src/schema.ts declares, read with the TypeScript parser. */
function declaredSchema(): Columns {
  const path = new URL('../../packages/db/src/schema.ts', import.meta.url);
  const file = ts.createSourceFile('schema.ts', readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  file.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const members = (name: string): ts.PropertySignature[] => {
    const elements: readonly ts.TypeElement[] = interfaces.get(name)?.members ?? [];
    return elements.filter((m): m is ts.PropertySignature => ts.isPropertySignature(m));
  };
  const nullable = (type: ts.TypeNode | undefined) =>
    ts.isUnionTypeNode(type!) &&
    type.types.some(
      (t) =>
        t.kind === ts.SyntaxKind.LiteralType && (t as ts.LiteralTypeNode).literal.kind === ts.SyntaxKind.NullKeyword,
    );
  const tables: Columns = {};
  for (const table of members('Database')) {
    const shape = table.type?.getText(file) ?? '';
    tables[table.name.getText(file)] = Object.fromEntries(
      members(shape).map((m) => [m.name.getText(file), nullable(m.type) ? 'null' : 'not null']),
    );
  }
  return tables;
}

describe('the database layer', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database.drop());

  it('declares exactly the tables, columns and nullability the migrations create', async () => {
    const rows = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO' }>`
      SELECT c.table_name, c.column_name, c.is_nullable FROM information_schema.columns c
      JOIN pg_class t ON t.relname = c.table_name AND t.relnamespace = 'public'::regnamespace
      WHERE c.table_schema = 'public' AND c.table_name <> 'schema_migrations' AND NOT t.relispartition`.execute(
      database.db,
    );
    const migrated: Columns = {};
    for (const r of rows.rows)
      (migrated[r.table_name] ??= {})[r.column_name] = r.is_nullable === 'YES' ? 'null' : 'not null';
    const declared = declaredSchema();
    expect(Object.keys(declared)).toHaveLength(37);
    expect(declared).toEqual(migrated);
  });

  it("checks journey and audience statuses against the engine's lists", async () => {
    const checks = await sql<{ table: string; definition: string }>`
      SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE contype = 'c' AND conrelid::regclass::text IN ('journeys', 'audience_entries')
        AND pg_get_constraintdef(oid) LIKE '%status = ANY%'`.execute(database.db);
    const values = (table: string) =>
      [...(checks.rows.find((c) => c.table === table)?.definition ?? '').matchAll(/'([a-z_]+)'::text/g)]
        .map((m) => m[1])
        .sort();
    expect(values('journeys')).toEqual([...journeyStatuses].sort());
    expect(values('audience_entries')).toEqual([...audienceStatuses].sort());
  });

  it("checks dry-run statuses against the repository's list", async () => {
    const check = await sql<{ definition: string }>`
      SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE contype = 'c' AND conrelid = 'dry_runs'::regclass AND pg_get_constraintdef(oid) LIKE '%status%'`.execute(
      database.db,
    );
    const values = [...(check.rows[0]?.definition ?? '').matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).sort();
    expect(values).toEqual([...dryRunStatuses].sort());
  });

  it('lets a hand-off without a Meta target exist only as an Errored row, with no placeholder ids', async () => {
    const entry = (status: NewAudienceEntry['status']): NewAudienceEntry => ({
      metaAccountId: null,
      adAccountId: null,
      audienceId: null,
      workspaceId: '3f1b6a2e-8f8e-4c1e-9a43-3b8f0e6d1c2a',
      action: 'add',
      canvasId: '3f1b6a2e-8f8e-4c1e-9a43-3b8f0e6d1c2b',
      version: 1,
      stepId: 'fb',
      userId: `u-${status}`,
      entrySeq: 1,
      schema: ['EMAIL'],
      values: [''],
      status,
      enteredAt: new Date(),
      deadlineAt: new Date(),
      lastError: null,
    });
    expect(await insertAudienceEntries(database.db, [entry('errored')])).toBe(1);
    // a replay of the same hand-off is still recorded once
    expect(await insertAudienceEntries(database.db, [entry('errored')])).toBe(0);
    await expect(insertAudienceEntries(database.db, [entry('pending')])).rejects.toMatchObject({
      code: '23514',
      constraint: 'audience_entries_target_or_errored',
    });
  });
});
