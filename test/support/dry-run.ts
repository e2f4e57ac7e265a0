import { seededRandom } from '@canvas/runtime';
import type { SeededUser } from './behaviour.ts';
import { waitFor } from './wait.ts';

/**
 * Carts split by country: US users join one audience (e-mail, phone) and wait three days; the
 * others join another (e-mail) and half of them, by a random split, wait too. A purchase exits a
 * waiting user and converts anyone within a week; a tenth are held out. Nothing depends on
 * the clock within a run of minutes, so a dry run and a real launch fed the same events agree.
 */
export function twoBranchCanvas(name = 'Carts by country') {
  return {
    name,
    entry: {
      trigger: { event: 'added_to_cart', conditions: [{ property: 'total', op: 'gte', value: 20 }] },
      controlGroupPercent: 10,
    },
    conversionGoal: { event: 'purchased', within: '7d' },
    exitCriteria: [{ event: 'purchased' }],
    firstStep: 'split',
    steps: [
      {
        id: 'split',
        kind: 'audience_split',
        branches: [{ name: 'US', conditions: [{ field: 'country', op: 'eq', value: 'US' }], next: 'fb_us' }],
        else: 'fb_rest',
      },
      {
        id: 'fb_us',
        kind: 'facebook_audience',
        audience: { create: { name: `${name} US` } },
        matchKeys: ['EMAIL', 'PHONE'],
        next: 'wait_us',
      },
      { id: 'wait_us', kind: 'delay', duration: '3d', next: null },
      {
        id: 'fb_rest',
        kind: 'facebook_audience',
        audience: { create: { name: `${name} rest` } },
        matchKeys: ['EMAIL'],
        next: 'ab',
      },
      {
        id: 'ab',
        kind: 'random_split',
        paths: [
          { name: 'wait', percent: 50, next: 'wait_rest' },
          { name: 'done', percent: 50, next: null },
        ],
      },
      { id: 'wait_rest', kind: 'delay', duration: '3d', next: null },
    ],
  };
}

/**
 * `count` shoppers with `events` track events each, stamped one after another from `from` in steps
 * of `stepMs` (all users interleaved): views, carts of various totals, some purchases. Traits mix
 * countries, e-mails good and bad, phones and opt-outs, so every outcome of a Facebook step occurs.
 */
export function dryRunShoppers(count: number, events: number, from: Date, stepMs = 1, seed = 27): SeededUser[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const traits: Record<string, unknown> = {
      ...pick([{ country: 'US' }, { country: 'USA' }, { country: 'France' }, { country: 'DE' }, {}]),
      ...(random() < 0.8 ? { email: `dry.${i}@example.com` } : random() < 0.5 ? { email: 'no-at-sign' } : {}),
      ...(random() < 0.4 ? { phone: `+1415${String(3_000_000 + i)}` } : {}),
      ...(random() < 0.05 ? { ads_opt_out: true } : {}),
      ...(random() < 0.03 ? { ad_personalization: false } : {}),
    };
    return {
      userId: `dry-${String(i).padStart(6, '0')}`,
      traits,
      events: Array.from({ length: events }, (_, e) => {
        const roll = random();
        const event = roll < 0.4 ? 'added_to_cart' : roll < 0.55 ? 'purchased' : 'page_viewed';
        return {
          event,
          at: new Date(from.getTime() + (e * count + i) * stepMs),
          properties: event === 'added_to_cart' ? { total: Math.floor(random() * 100) } : {},
        };
      }),
    };
  });
}

/** A dry run as GET /v1/dry-runs/{id} answers it (the fields tests read). */
export interface DryRunAnswer {
  id: string;
  status: string;
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
  progress: { fraction: number; users: number; totalUsers: number; pass: number; passes: number };
  cost: { historyRows: number };
  result: {
    totals: Record<string, number>;
    steps: {
      stepId: string;
      entered: number;
      proceeded: number;
      exited: number;
      converted: number;
      waiting: number;
      branches: { index: number | null; name: string | null; next: string | null; users: number }[] | null;
      facebook: {
        adAccountId: string | null;
        synced: number;
        notSynced: { total: number; noMatchKeys: number; consent: number };
        requests: number;
        quotaHours: number | null;
      } | null;
      sampleUserIds: string[];
    }[];
    accounts: {
      adAccountId: string;
      users: number;
      requests: number;
      requestsPerHour: { mean: number; peak: number };
    }[];
    users: { scanned: number; replayed: number; entered: number };
    events: number;
    notes: string[];
  } | null;
}

/** Waits until a dry run is no longer queued or running, and answers it. */
export async function awaitDryRun(
  get: (path: string) => Promise<DryRunAnswer>,
  id: string,
  timeoutMs = 120_000,
): Promise<DryRunAnswer> {
  const ended = await waitFor(
    async () => {
      const run = await get(`/v1/dry-runs/${id}`);
      return run.status === 'queued' || run.status === 'running' ? undefined : run;
    },
    { what: `dry run ${id} to end`, timeoutMs, intervalMs: 100 },
  );
  return ended!;
}

/** Per-step numbers as the analytics of a launched canvas give them. */
interface Analytics {
  totals: Record<string, number>;
  steps: {
    stepId: string;
    entered: number;
    proceeded: number;
    exited: number;
    converted: number;
    facebook: { synced: number; notSynced: number; pending: number; errored: number } | null;
  }[];
}

/**
 * The numbers a dry run and a real launch can both give, in one shape: totals, each step's
 * entered / proceeded / exited / converted, who is still waiting in a delay, the users down each
 * way of a split (for a launch: the next step's entrants), and Synced / Not synced.
 */
export function comparableNumbers(source: { dryRun: DryRunAnswer } | { analytics: Analytics }) {
  const numbers: Record<string, number> = {};
  if ('dryRun' in source) {
    const result = source.dryRun.result!;
    for (const key of ['entered', 'control', 'converted', 'controlConverted', 'exited', 'completed'])
      numbers[`total.${key}`] = result.totals[key] ?? 0;
    for (const step of result.steps) {
      numbers[`${step.stepId}.entered`] = step.entered;
      numbers[`${step.stepId}.proceeded`] = step.proceeded;
      numbers[`${step.stepId}.exited`] = step.exited;
      numbers[`${step.stepId}.converted`] = step.converted;
      numbers[`${step.stepId}.waiting`] = step.waiting;
      for (const branch of step.branches ?? []) numbers[`${step.stepId}->${branch.next ?? 'end'}`] = branch.users;
      if (step.facebook) {
        numbers[`${step.stepId}.synced`] = step.facebook.synced;
        numbers[`${step.stepId}.notSynced`] = step.facebook.notSynced.total;
      }
    }
    return numbers;
  }
  const { analytics } = source;
  for (const key of ['entered', 'control', 'converted', 'controlConverted', 'exited', 'completed'])
    numbers[`total.${key}`] = analytics.totals[key] ?? 0;
  const step = (id: string) => analytics.steps.find((s) => s.stepId === id)!;
  for (const s of analytics.steps) {
    numbers[`${s.stepId}.entered`] = s.entered;
    numbers[`${s.stepId}.proceeded`] = s.proceeded;
    numbers[`${s.stepId}.exited`] = s.exited;
    numbers[`${s.stepId}.converted`] = s.converted;
    // a delay's entrants are still there unless they left it, by its end or an exit
    numbers[`${s.stepId}.waiting`] = s.stepId.startsWith('wait') ? s.entered - s.proceeded - s.exited : 0;
    if (s.facebook) {
      numbers[`${s.stepId}.synced`] = s.facebook.synced;
      numbers[`${s.stepId}.notSynced`] = s.facebook.notSynced;
    }
  }
  // twoBranchCanvas's splits: each way leads to a step of its own, or (for "done") to the end
  numbers['split->fb_us'] = step('fb_us').entered;
  numbers['split->fb_rest'] = step('fb_rest').entered;
  numbers['ab->wait_rest'] = step('wait_rest').entered;
  numbers['ab->end'] = step('ab').proceeded - step('wait_rest').entered;
  return numbers;
}
