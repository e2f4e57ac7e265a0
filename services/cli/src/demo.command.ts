import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { abandonedCartExample } from '@canvas/canvas';
import { createKafka, createProducer } from '@canvas/kafka';
import { createLogger, logProcessWarnings } from '@canvas/runtime';

export interface DemoSettings {
  apiUrl: string;
  apiKey: string;
  sandboxUrl: string;
  runnerOpsUrl: string;
  brokers: string[];
  topic: string;
}

export function demoSettings(env: NodeJS.ProcessEnv): DemoSettings {
  let saved: Record<string, string> = {};
  try {
    saved = Object.fromEntries(
      readFileSync('.local/dev.env', 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
  } catch {
    // no make dev session here: everything must come from the environment
  }
  const apiKey = env.CANVAS_API_KEY ?? saved.API_KEY;
  if (!apiKey) throw new Error('no API key: start `make dev` first (it writes .local/dev.env), or set CANVAS_API_KEY');
  return {
    apiUrl: env.CANVAS_API_URL ?? saved.API_URL ?? 'http://127.0.0.1:8080',
    apiKey,
    sandboxUrl: env.SANDBOX_URL ?? saved.SANDBOX_URL ?? 'http://127.0.0.1:8090',
    runnerOpsUrl: env.RUNNER_OPS_URL ?? saved.RUNNER_OPS_URL ?? 'http://127.0.0.1:9101',
    brokers: (env.KAFKA_BROKERS ?? saved.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    topic: env.EVENTS_TOPIC ?? 'canvas.user-events',
  };
}

export const out = (text = '') => process.stdout.write(`${text}\n`);

function progress(label: string, done: number, total: number) {
  const step = Math.max(1, Math.floor(total / 100));
  if (done % step !== 0 && done !== total) return;
  if (!process.stderr.isTTY) {
    if (done === total || done % Math.max(1, Math.floor(total / 4)) < step)
      process.stderr.write(`${label}: ${done}/${total}\n`);
    return;
  }
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`,
  );
}

/** The README's example: added_to_cart without purchased → 10 s → Facebook audience. */
export function demoCanvas(name: string, audienceName: string) {
  // every shopper enters (guests too, to show Not synced), and conversions count for a day
  return {
    ...abandonedCartExample,
    name,
    // audience names are unique per ad account: each run makes its own
    steps: abandonedCartExample.steps.map((step) =>
      step.kind === 'facebook_audience' ? { ...step, audience: { create: { name: audienceName } } } : step,
    ),
    description: 'Shoppers who added to cart and did not buy within 10 seconds',
    entry: { trigger: { event: 'added_to_cart' } },
    conversionGoal: { event: 'purchased', within: '1d' },
  };
}

/** Events sent before a runner holds partitions would wait unexplained; say so instead. */
export async function waitForConsumingRunner(opsUrl: string): Promise<void> {
  const started = Date.now();
  let said = false;
  for (;;) {
    const ready = await fetch(`${opsUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() - started > 60_000)
      throw new Error(
        `the journey runner at ${opsUrl} is not consuming (its /readyz is not 200); is make dev running?`,
      );
    if (!said) process.stderr.write('waiting for the journey runner to join its consumer group…\n');
    said = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  out(`journey runner is consuming${said ? ` (after ${((Date.now() - started) / 1000).toFixed(1)} s)` : ''}`);
}

/** Calls the designer API with the demo's key; a non-2xx answer throws with its problem. */
export function apiClient(s: DemoSettings) {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${s.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${s.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** `make demo` (while `make dev` runs): launches the example canvas, sends synthetic events, shows the result. */
export async function demoCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { users: { type: 'string', default: '200' }, rate: { type: 'string', default: '400' } },
    strict: true,
  });
  logProcessWarnings(createLogger({ name: 'demo', level: 'warn' }));
  const users = Math.max(1, Math.min(100_000, Number(values.users) || 200));
  const rate = Math.max(1, Number(values.rate) || 400);
  const s = demoSettings(env);
  const api = apiClient(s);

  await waitForConsumingRunner(s.runnerOpsUrl);
  const workspace = await api<{ id: string; name: string }>('GET', '/v1/workspace');
  const stamp = new Date().toISOString().slice(11, 19);
  const audienceName = `Abandoned_Cart_Demo_${stamp.replaceAll(':', '')}`;
  const canvas = await api<{ id: string }>(
    'POST',
    '/v1/canvases',
    demoCanvas(`Abandoned cart demo ${stamp}`, audienceName),
  );
  await api('POST', `/v1/canvases/${canvas.id}/launch`);
  out(`launched canvas ${canvas.id} in workspace "${workspace.name}"`);

  const producer = await createProducer(createKafka({ brokers: s.brokers, clientId: 'canvas-demo' }));
  const headers = { 'workspace-id': workspace.id };
  const started = Date.now();
  const buyers = new Set<number>();
  let sent = 0;
  const total = users * 2;
  for (let i = 0; i < users; i += 1) {
    const userId = `demo-${started.toString(36)}-${i}`;
    const traits =
      i % 10 === 9
        ? { firstName: 'Guest' }
        : {
            email: `shopper${i}.${started % 1000}@example.com`,
            phone: `+1415${String(3_000_000 + i)}`,
            firstName: 'Sam',
            country: 'US',
          };
    const batch = [
      {
        key: userId,
        value: JSON.stringify({
          type: 'identify',
          messageId: `${userId}-id`,
          userId,
          traits,
          timestamp: new Date().toISOString(),
        }),
        headers,
      },
      {
        key: userId,
        value: JSON.stringify({
          type: 'track',
          messageId: `${userId}-cart`,
          userId,
          event: 'added_to_cart',
          properties: { value: 20 + (i % 80) },
          timestamp: new Date().toISOString(),
        }),
        headers,
      },
    ];
    // every fifth shopper buys before the delay ends and leaves the canvas
    if (i % 5 === 2) {
      buyers.add(i);
      batch.push({
        key: userId,
        value: JSON.stringify({
          type: 'track',
          messageId: `${userId}-buy`,
          userId,
          event: 'purchased',
          timestamp: new Date().toISOString(),
        }),
        headers,
      });
    }
    await producer.send(s.topic, batch);
    sent += 2;
    progress('sending events', sent, total);
    const due = started + (sent / rate) * 1000;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
  await producer.disconnect();
  out(
    `sent ${users} shoppers (${buyers.size} of them also purchased, ` +
      `${Math.floor((users + 1) / 10)} without e-mail or phone)`,
  );

  interface Analytics {
    totals: Record<string, number>;
    steps: {
      stepId: string;
      name: string | null;
      entered: number;
      proceeded: number;
      exited: number;
      facebook: { synced: number; notSynced: number; pending: number; errored: number } | null;
    }[];
  }
  out('waiting for the 10-second delay and the next sync batch…');
  let analytics: Analytics | undefined;
  for (let i = 0; i < 120; i += 1) {
    analytics = await api<Analytics>('GET', `/v1/canvases/${canvas.id}/analytics`);
    const wait = analytics.steps.find((st) => st.stepId === 'wait');
    const fb = analytics.steps.find((st) => st.stepId === 'fb')?.facebook;
    const settled =
      (analytics.totals.entered ?? 0) >= users &&
      wait !== undefined &&
      wait.entered === wait.proceeded + wait.exited &&
      fb?.pending === 0;
    if (settled) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (!analytics) return;
  out('');
  out('step                          entered  proceeded  exited   synced  not synced  pending  errored');
  for (const st of analytics.steps) {
    const fb = st.facebook;
    const counts =
      `${(st.name ?? st.stepId).padEnd(28)} ${String(st.entered).padStart(8)} ` +
      `${String(st.proceeded).padStart(10)} ${String(st.exited).padStart(7)}`;
    const sync = fb
      ? `${String(fb.synced).padStart(9)}${String(fb.notSynced).padStart(12)}` +
        `${String(fb.pending).padStart(9)}${String(fb.errored).padStart(9)}`
      : '';
    out(counts + sync);
  }
  out(
    `canvas totals: entered ${analytics.totals.entered}, exited ${analytics.totals.exited}, ` +
      `converted ${analytics.totals.converted}`,
  );
  const audiences = (await (await fetch(`${s.sandboxUrl}/_sandbox/audiences`)).json()) as {
    data: { id: string; name: string; memberCount: number }[];
  };
  const latest = audiences.data.filter((a) => a.name.endsWith(audienceName)).pop();
  const synced = analytics.steps.find((st) => st.stepId === 'fb')?.facebook?.synced ?? 0;
  out(
    `sandbox audience "${latest?.name ?? '?'}" (${latest?.id ?? '?'}) holds ${latest?.memberCount ?? 0} people; ` +
      `analytics says ${synced} synced${latest?.memberCount === synced ? ' ✓' : ''}`,
  );
  out(
    `inspect it: ${s.sandboxUrl}/_sandbox/audiences/${latest?.id ?? ''}   ` +
      `analytics: ${s.apiUrl}/v1/canvases/${canvas.id}/analytics`,
  );
}
