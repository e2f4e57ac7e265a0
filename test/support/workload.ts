import type { CanvasDefinitionInput, MatchKey } from '@canvas/canvas';
import type { OutboundMessage } from '@canvas/kafka';
import { seededRandom } from '@canvas/runtime';

const events = [
  'viewed',
  'added_to_cart',
  'purchased',
  'signed_up',
  'searched',
  'shared',
  'reviewed',
  'refunded',
  'logged_in',
  'subscribed',
] as const;
const countries = ['US', 'CA', 'FR', 'DE', 'United States', 'Brazil'];

/** A seeded generator, so every run produces the same workload. */
export const prng = seededRandom;

const fb = (id: string, next: string | null, keys: MatchKey[] = ['EMAIL', 'PHONE']) => ({
  id,
  kind: 'facebook_audience' as const,
  audience: { id: '238000001' },
  matchKeys: keys,
  next,
});

/** Twenty canvases covering every step kind and entry rule; the capped one is named "capped". */
export function workloadCanvases(): CanvasDefinitionInput[] {
  const templates = (a: string, b: string, n: number): CanvasDefinitionInput[] => [
    { name: `direct ${n}`, entry: { trigger: { event: a } }, firstStep: 'fb', steps: [fb('fb', null)] },
    {
      name: `split ${n}`,
      entry: { trigger: { event: a } },
      firstStep: 'split',
      steps: [
        {
          id: 'split',
          kind: 'audience_split',
          branches: [
            { conditions: [{ field: 'country', op: 'in', value: ['US', 'CA', 'United States'] }], next: 'fb' },
          ],
          else: 'out',
        },
        fb('fb', null),
        { id: 'out', kind: 'exit' },
      ],
    },
    {
      name: `ab ${n}`,
      entry: { trigger: { event: b } },
      firstStep: 'ab',
      steps: [
        {
          id: 'ab',
          kind: 'random_split',
          paths: [
            { percent: 50, next: 'fb' },
            { percent: 50, next: 'out' },
          ],
        },
        fb('fb', null, ['EXTERN_ID']),
        { id: 'out', kind: 'exit' },
      ],
    },
    {
      name: `filtered wait ${n}`,
      entry: { trigger: { event: b }, filters: [{ field: 'hasEmail', op: 'eq', value: true }] },
      firstStep: 'wait',
      steps: [{ id: 'wait', kind: 'delay', duration: '1d', next: 'fb' }, fb('fb', null)],
    },
    {
      name: `exit on ${n}`,
      entry: { trigger: { event: a } },
      exitCriteria: [{ event: b }],
      firstStep: 'wait',
      steps: [{ id: 'wait', kind: 'delay', duration: '1d', next: null }],
    },
    {
      name: `again ${n}`,
      entry: { trigger: { event: b }, reentry: { policy: 'after_cooldown', cooldown: '0s' } },
      firstStep: 'fb',
      steps: [fb('fb', null, ['EMAIL'])],
    },
    {
      name: `control ${n}`,
      entry: { trigger: { event: a }, controlGroupPercent: 20 },
      firstStep: 'fb',
      steps: [fb('fb', null)],
    },
    {
      name: `goal ${n}`,
      entry: { trigger: { event: a } },
      conversionGoal: { event: b, within: '1d' },
      firstStep: 'end',
      steps: [{ id: 'end', kind: 'exit' }],
    },
    {
      name: `big spenders ${n}`,
      entry: { trigger: { event: b, conditions: [{ property: 'value', op: 'gte', value: 50 }] } },
      firstStep: 'fb',
      steps: [fb('fb', null, ['EMAIL', 'FN', 'COUNTRY'])],
    },
  ];
  return [
    ...templates('added_to_cart', 'purchased', 1),
    ...templates('viewed', 'searched', 2),
    {
      name: 'capped',
      entry: { trigger: { event: 'logged_in' }, targetCap: 300 },
      firstStep: 'end',
      steps: [{ id: 'end', kind: 'exit' }],
    },
    { name: 'shares', entry: { trigger: { event: 'shared' } }, firstStep: 'fb', steps: [fb('fb', null, ['PHONE'])] },
  ];
}

/**
 * Events as an upstream producer sends them: per user an identify, then tracks; about 2 %
 * re-sent with the same messageId.
 */
export function workloadMessages(options: {
  workspaceId: string;
  users: number;
  eventsPerUser: number;
  seed: number;
}): OutboundMessage[] {
  const random = prng(options.seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const messages: OutboundMessage[] = [];
  const late: OutboundMessage[] = [];
  const headers = { 'workspace-id': options.workspaceId };
  // one moment for every event, taken when the workload is made:
  // inside the history's retention on any day the suite runs
  const timestamp = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  for (let round = 0; round < options.eventsPerUser; round += 1) {
    for (let u = 0; u < options.users; u += 1) {
      const userId = `user-${u}`;
      const messageId = `${userId}-${round}`;
      const body =
        round === 0
          ? {
              type: 'identify',
              messageId,
              userId,
              timestamp,
              traits: {
                ...(random() < 0.8 ? { email: `User${u}@Example.com` } : {}),
                ...(random() < 0.6 ? { phone: `+1 650 555 ${String(u % 10_000).padStart(4, '0')}` } : {}),
                country: pick(countries),
                firstName: pick(['Ann', 'Bo', 'Chloé', 'Dmitri']),
              },
            }
          : {
              type: 'track',
              messageId,
              userId,
              event: pick(events),
              properties: { value: Math.floor(random() * 100) },
              timestamp,
            };
      const message = { key: userId, value: JSON.stringify(body), headers };
      messages.push(message);
      const resend = random();
      if (resend < 0.01) messages.push(message);
      else if (resend < 0.02) late.push(message);
    }
  }
  return [...messages, ...late];
}
