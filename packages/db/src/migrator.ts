import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DataError } from './errors.js';

/** The repository's migrations/ folder, found from this package's location. */
export const defaultMigrationsDir = fileURLToPath(new URL('../../../migrations', import.meta.url));

const lockKey = 7_316_551_001; // one migrator at a time per database

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies the SQL files of `dir` in name order, each in its own transaction, and records
 * them. Refuses to run when a recorded migration was edited or removed.
 */
export async function migrate(url: string, dir = defaultMigrationsDir): Promise<{ applied: string[] }> {
  const files = await readMigrations(dir);
  const client = new pg.Client({ connectionString: url, application_name: 'canvas-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockKey]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations ORDER BY name',
    );
    const byName = new Map(files.map((f) => [f.name, f]));
    for (const row of rows) {
      const file = byName.get(row.name);
      if (!file) {
        throw new DataError('MIGRATION_MISSING', `migration ${row.name} was applied but its file is gone`);
      }
      if (file.checksum !== row.checksum) {
        throw new DataError(
          'MIGRATION_EDITED',
          `migration ${row.name} was edited after it was applied; add a new migration instead`,
        );
      }
    }
    const done = new Set(rows.map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
          file.name,
          file.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new DataError('MIGRATION_FAILED', `migration ${file.name} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(file.name);
    }
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => undefined);
    await client.end();
  }
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new DataError('DATABASE_NAME_INVALID', `unsupported database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}
