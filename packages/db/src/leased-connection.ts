import { sql } from 'kysely';
import type { Executor } from './connection.js';

/** One pooled connection held across awaits (a cursor lives on its connection), until released. */
export interface LeasedConnection {
  db: Executor;
  /** Rolls back what is open on it and gives it back to the pool. */
  release: () => Promise<void>;
}

/** Takes a connection from the pool and keeps it until `release`. */
export function leaseConnection(db: Executor): Promise<LeasedConnection> {
  return new Promise((resolve, reject) => {
    let finish!: () => void;
    const finished = new Promise<void>((done) => (finish = done));
    let held = false;
    const ended = db
      .connection()
      .execute(async (connection) => {
        held = true;
        resolve({
          db: connection,
          release: async () => {
            // nothing a read left open must outlive it; a broken connection is dropped by the pool
            await sql`ROLLBACK`.execute(connection).catch(() => undefined);
            finish();
            await ended;
          },
        });
        await finished;
      })
      .catch((error: unknown) => {
        if (!held) reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
}
