import { connectClient, type PgClient } from '@canvas/db';
import { sleep, type Logger } from '@canvas/runtime';

const lockSpace = 7316;

export interface OwnershipOptions {
  url: string;
  logger: Logger;
  intervalMs: number;
  /** Meta ad accounts that may need an owner. */
  candidates: () => Promise<string[]>;
  onAcquire: (metaAccountId: string) => Promise<void>;
  onLose: (metaAccountId: string) => Promise<void>;
}

/**
 * One owner per Meta ad account across all replicas, by a session-level PostgreSQL advisory
 * lock. A dead owner's session ends (TCP keepalives make PostgreSQL notice within about 25 s)
 * and the next replica to look takes the account over.
 */
export function createOwnership(options: OwnershipOptions) {
  const owned = new Set<string>();
  const controller = new AbortController();
  let client: PgClient | undefined;
  let running: Promise<void> | undefined;

  async function connect(): Promise<PgClient> {
    const next = await connectClient(options.url, 'canvas-audience-sync-locks');
    next.on('error', (error) => options.logger.warn({ err: error }, 'ownership connection failed'));
    // let the server drop this session soon after the process or its host disappears
    await next.query('SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3');
    return next;
  }

  async function loseAll(): Promise<void> {
    for (const account of [...owned]) {
      owned.delete(account);
      await options
        .onLose(account)
        .catch((error: unknown) =>
          options.logger.error({ err: error, adAccountId: account }, 'stopping an account failed'),
        );
    }
  }

  async function round(): Promise<void> {
    client ??= await connect();
    await client.query('SELECT 1');
    const candidates = (await options.candidates()).sort(() => Math.random() - 0.5);
    for (const account of candidates) {
      if (owned.has(account) || controller.signal.aborted) continue;
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [lockSpace, account],
      );
      if (!rows[0]?.locked) continue;
      owned.add(account);
      options.logger.info({ adAccountId: account }, 'took ownership of ad account');
      await options.onAcquire(account);
    }
  }

  async function loop(): Promise<void> {
    while (!controller.signal.aborted) {
      try {
        await round();
      } catch (error) {
        // without the lock connection this replica may no longer own anything
        options.logger.error({ err: error }, 'ownership check failed; releasing every account');
        await loseAll();
        await client?.end().catch(() => undefined);
        client = undefined;
      }
      await sleep(options.intervalMs, controller.signal);
    }
  }

  return {
    owned: () => [...owned],
    start() {
      running ??= loop();
    },
    async stop() {
      controller.abort();
      await running;
      await loseAll();
      await client?.end().catch(() => undefined);
    },
  };
}
