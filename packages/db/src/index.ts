export { createDatabase, connectClient, pingDatabase, defaultDatabaseUrl, type Db, type Tx, type Executor, type DatabaseOptions, type PgClient } from './connection.js';
export { migrate, ensureDatabase, readMigrations, defaultMigrationsDir, type MigrationFile } from './migrator.js';
export { DataError } from './errors.js';
export type { Database } from './schema.js';
