import { parseArgs } from 'node:util';
import { cartAbandonersSegmentExample } from '@canvas/canvas';
import { createKafka, createProducer, type OutboundMessage } from '@canvas/kafka';
import { createLogger, logProcessWarnings } from '@canvas/runtime';
import { apiClient, demoSettings, out, waitForConsumingRunner } from './demo.command.js';

const dayMs = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  status: string;
  members: number;
  entered: number;
  removed: number;
}
interface Analytics {
  steps: {
    stepId: string;
    facebook: {
      synced: number;
      pending: number;
      removals: { removed: number; synced: number; pending: number };
    } | null;
  }[];
}

async function appliedEvents(opsUrl: string): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('canvas_runner_events_total{') && l.includes('outcome="applied"'));
  return Number(line?.split(' ').pop() ?? 0);
}

/**
 * `make demo-segments` (while `make dev` runs): sends shoppers with a past, builds the cart
 * abandoners segment, estimates it, launches a canvas whose audience follows the segment on two
 * runs, and shows the audience shrink when some members buy between the runs.
 */
export async function segmentsDemoCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { users: { type: 'string', default: '300' } },
    strict: true,
  });
  logProcessWarnings(createLogger({ name: 'demo', level: 'warn' }));
  const users = Math.max(10, Math.min(100_000, Number(values.users) || 300));
  const s = demoSettings(env);
  const api = apiClient(s);
  await waitForConsumingRunner(s.runnerOpsUrl);
  const workspace = await api<{ id: string }>('GET', '/v1/workspace');
  const headers = { 'workspace-id': workspace.id };
  const producer = await createProducer(createKafka({ brokers: s.brokers, clientId: 'canvas-demo' }));
  const run = Date.now().toString(36);
  const event = (userId: string, body: Record<string, unknown>): OutboundMessage => ({
    key: userId,
    value: JSON.stringify({ userId, ...body }),
    headers,
  });
  const send = async (messages: OutboundMessage[]) => {
    const before = await appliedEvents(s.runnerOpsUrl);
    for (let i = 0; i < messages.length; i += 1000) await producer.send(s.topic, messages.slice(i, i + 1000));
    for (let i = 0; i < 120 && (await appliedEvents(s.runnerOpsUrl)) < before + messages.length; i += 1)
      await sleep(500);
  };

  // 1. the past: every shopper carted 0–3 times over the last 20 days; every seventh also bought
  const ids = Array.from({ length: users }, (_, i) => `past-${run}-${i}`);
  await send(
    ids.flatMap((userId, i) => [
      event(userId, {
        type: 'identify',
        messageId: `${userId}-id`,
        traits: { email: `${userId}@example.com`, country: i % 4 === 0 ? 'Canada' : 'USA' },
      }),
      ...Array.from({ length: i % 4 }, (_, c) =>
        event(userId, {
          type: 'track',
          messageId: `${userId}-cart-${c}`,
          event: 'added_to_cart',
          timestamp: new Date(Date.now() - (1 + ((i + c * 5) % 20)) * dayMs).toISOString(),
        }),
      ),
      ...(i % 7 === 0
        ? [
            event(userId, {
              type: 'track',
              messageId: `${userId}-buy`,
              event: 'purchased',
              timestamp: new Date(Date.now() - 2 * dayMs).toISOString(),
            }),
          ]
        : []),
    ]),
  );
  out(`sent the past of ${users} shoppers (carts over the last 20 days, some purchases)`);

  // 2. the segment and its reach
  const segment = await api<{ id: string }>('POST', '/v1/segments', {
    ...cartAbandonersSegmentExample,
    name: `Cart abandoners demo ${run}`,
  });
  const reach = await api<{ members: number; matchableOnFacebook: number; byKey: Record<string, number> }>(
    'POST',
    `/v1/segments/${segment.id}/estimate`,
    { matchKeys: ['EMAIL', 'PHONE'] },
  );
  out(
    `segment ${segment.id}: ${reach.members} members now, ` +
      `${reach.matchableOnFacebook} matchable on Facebook (${JSON.stringify(reach.byKey)})`,
  );

  // 3. a canvas whose audience follows the segment, run twice
  const secondRunAt = new Date(Date.now() + 40_000);
  const canvas = await api<{ id: string }>('POST', '/v1/canvases', {
    name: `Cart abandoners mirror ${run}`,
    entry: {
      segment: {
        segmentId: segment.id,
        runs: { kind: 'dates', at: [new Date(Date.now() + 5_000).toISOString(), secondRunAt.toISOString()] },
      },
      reentry: { policy: 'after_cooldown', cooldown: '0s' },
    },
    firstStep: 'fb',
    steps: [
      {
        id: 'fb',
        kind: 'facebook_audience',
        audience: { create: { name: `Cart_Abandoners_Mirror_${run}` } },
        matchKeys: ['EMAIL'],
        followSegment: true,
        next: null,
      },
    ],
  });
  await api('POST', `/v1/canvases/${canvas.id}/launch`);
  out(`launched canvas ${canvas.id}: runs in 5 s and at ${secondRunAt.toISOString()}`);
  const audienceSize = async () => {
    const audiences = (await (await fetch(`${s.sandboxUrl}/_sandbox/audiences`)).json()) as {
      data: { name: string; memberCount: number }[];
    };
    return audiences.data.find((a) => a.name === `Cart_Abandoners_Mirror_${run}`)?.memberCount ?? 0;
  };
  const waitForRuns = async (count: number) => {
    for (let i = 0; i < 240; i += 1) {
      const runs = await api<{ data: Run[] }>('GET', `/v1/canvases/${canvas.id}/runs`);
      const finished = runs.data.filter((r) => r.status === 'finished');
      const fb = (await api<Analytics>('GET', `/v1/canvases/${canvas.id}/analytics`)).steps[0]?.facebook;
      if (finished.length >= count && fb && fb.pending === 0 && fb.removals.pending === 0) return finished[0]!;
      await sleep(500);
    }
    throw new Error('the runs did not finish in two minutes');
  };
  const first = await waitForRuns(1);
  out(`run 1: ${first.members} members, ${first.entered} entered; the sandbox audience holds ${await audienceSize()}`);

  // 4. some members buy: they stop qualifying
  const buyers = ids.filter((_, i) => i % 4 !== 0 && i % 4 >= 2 && i % 3 === 0);
  await send(
    buyers.map((userId) => event(userId, { type: 'track', messageId: `${userId}-buy-now`, event: 'purchased' })),
  );
  out(`${buyers.length} shoppers bought; waiting for run 2…`);
  const second = await waitForRuns(2);
  out(
    `run 2: ${second.members} members, ${second.removed} removed; the sandbox audience holds ${await audienceSize()}`,
  );
  out(`runs: ${s.apiUrl}/v1/canvases/${canvas.id}/runs   analytics: ${s.apiUrl}/v1/canvases/${canvas.id}/analytics`);
  await producer.disconnect();
}
