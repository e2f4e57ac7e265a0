import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, ensureDatabase, migrate, type Db } from '@canvas/db';

/** The tests' template; the benchmarks keep their own, so a test run never drops a benchmark's database. */
export const testTemplate = 'canvas_test';

function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

async function adminQuery(serverUrl: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** Rebuilds a migrated template database, dropping the databases earlier runs copied from it. */
export async function prepareTemplate(serverUrl: string, templateName = testTemplate): Promise<string> {
  // copies only: another checkout's template may begin with this one's name (canvas_test_tests)
  const { rows } = await adminQuery(
    serverUrl,
    `SELECT datname FROM pg_database WHERE datname ~ '^${templateName}_[0-9a-f]{12}$' OR datname = '${templateName}'`,
  );
  for (const row of rows as { datname: string }[]) {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  }
  const url = withDatabase(serverUrl, templateName);
  await ensureDatabase(url);
  await migrate(url);
  return url;
}

export interface TestDatabase {
  url: string;
  db: Db;
  drop: () => Promise<void>;
}

/** A fresh, migrated database of its own for one test file, copied from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const templateUrl = process.env.TEST_DATABASE_TEMPLATE_URL;
  if (!templateUrl) throw new Error('TEST_DATABASE_TEMPLATE_URL is not set: run the tests through jest (global setup)');
  const templateName = new URL(templateUrl).pathname.slice(1);
  const name = `${templateName}_${randomBytes(6).toString('hex')}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await adminQuery(templateUrl, `CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
      break;
    } catch (error) {
      // two files copying the template at the same instant: try again shortly
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  const url = withDatabase(templateUrl, name);
  const db = createDatabase({ url, maxConnections: 10, applicationName: 'canvas-test' });
  return {
    url,
    db,
    drop: async () => {
      await db.destroy();
      await adminQuery(templateUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
