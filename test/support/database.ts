import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, ensureDatabase, migrate, type Db } from '@canvas/db';

export const templateName = 'canvas_test';
const perTestPrefix = 'canvas_t_';

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

/** Rebuilds the migrated template database every test database is copied from. */
export async function prepareTemplate(serverUrl: string): Promise<string> {
  const { rows } = await adminQuery(
    serverUrl,
    `SELECT datname FROM pg_database WHERE datname LIKE '${perTestPrefix}%' OR datname = '${templateName}'`,
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
  const name = `${perTestPrefix}${randomBytes(6).toString('hex')}`;
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
