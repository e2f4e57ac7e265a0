import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: repositories take whichever the caller holds. */
export type Executor = Kysely<Database>;

// bigint columns (counts, offsets) come back as strings; timestamps as Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => value);

export const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/canvas';

export interface DatabaseOptions {
  url: string;
  maxConnections?: number;
  applicationName?: string;
}

/**
 * Server settings of every session, after any the URL's `options` give: no JIT compilation. Over
 * day-partitioned tables it compiles every partition's expressions, which took longer (0.3–3 s)
 * than the statements it was meant to speed up (decision 44).
 */
function sessionOptions(url: string): string {
  const given = URL.canParse(url) ? new URL(url).searchParams.get('options') : null;
  return [given, '-c jit=off'].filter((o) => o !== null && o !== '').join(' ');
}

/** A kysely handle over a pg pool. Close it with `db.destroy()`. */
export function createDatabase(options: DatabaseOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'canvas',
    keepAlive: true,
    options: sessionOptions(options.url),
  });
  // an idle client's error (e.g. the server restarted) must not crash the process
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** A dedicated pg client, for LISTEN/NOTIFY and session-level advisory locks. */
export async function connectClient(url: string, applicationName = 'canvas'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName, keepAlive: true });
  await client.connect();
  return client;
}

export type PgClient = pg.Client;

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<boolean> {
  const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(db);
  return rows[0]?.ok === 1;
}

/** A service's pool from its settings (`DATABASE_URL`, `DATABASE_POOL_SIZE`), named in pg_stat_activity. */
export function createServiceDatabase(
  config: { DATABASE_URL: string; DATABASE_POOL_SIZE: number },
  applicationName: string,
): Db {
  return createDatabase({ url: config.DATABASE_URL, maxConnections: config.DATABASE_POOL_SIZE, applicationName });
}
