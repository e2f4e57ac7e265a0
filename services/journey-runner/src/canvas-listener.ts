import { canvasChangedChannel, connectClient, type PgClient } from '@canvas/db';
import type { Logger } from '@canvas/runtime';

/**
 * Refreshes the canvas index within moments of a launch, pause or edit (PostgreSQL
 * NOTIFY), reconnecting when the connection drops; a periodic refresh covers any gap.
 */
export function listenForCanvasChanges(options: { url: string; logger: Logger; onChange: () => void }) {
  let client: PgClient | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    try {
      const next = await connectClient(options.url, 'canvas-runner-listen');
      next.on('notification', () => options.onChange());
      next.on('error', (error) => {
        options.logger.warn({ err: error }, 'canvas change listener lost its connection');
        void next.end().catch(() => undefined);
        schedule();
      });
      await next.query(`LISTEN ${canvasChangedChannel}`);
      client = next;
      // changes made while disconnected
      options.onChange();
    } catch (error) {
      options.logger.warn({ err: error }, 'canvas change listener cannot connect');
      schedule();
    }
  };
  const schedule = () => {
    if (stopped) return;
    clearTimeout(retry);
    retry = setTimeout(() => void connect(), 2000);
  };

  void connect();
  return {
    async close() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
