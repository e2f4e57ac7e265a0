import { defaultDatabaseUrl } from './connection.js';
import { ensureDatabase, migrate } from './migrator.js';

// Creates the database if needed and applies pending migrations: `pnpm migrate`.
const url = process.env.DATABASE_URL ?? defaultDatabaseUrl;
try {
  const created = await ensureDatabase(url);
  const { applied } = await migrate(url);
  const where = new URL(url);
  where.password = '';
  const outcome = applied.length ? `applied ${applied.join(', ')}` : 'up to date';
  process.stderr.write(`[migrate] ${where.host}${where.pathname}: ${created ? 'created; ' : ''}${outcome}\n`);
} catch (error) {
  process.stderr.write(`[migrate] ${(error as Error).message}\n`);
  process.exitCode = 1;
}
