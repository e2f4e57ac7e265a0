import { randomUUID } from 'node:crypto';
import type { CanvasDefinitionInput } from '@canvas/canvas';
import type { Db } from '@canvas/db';
import type { OutboundMessage } from '@canvas/kafka';
import { prng, seedLaunchedCanvas, seedWorkspace } from '../../test/support/index.ts';

/**
 * Canvas i is triggered by "action_i" and may be re-entered at once; even ones hand users to
 * a Facebook step, odd ones split on country and end. Every action event enters exactly one
 * canvas, so runs with 1, 100 or 1,000 canvases do the same work per event.
 */
export function benchCanvas(i: number): CanvasDefinitionInput {
  const entry = { trigger: { event: `action_${i}` }, reentry: { policy: 'after_cooldown' as const, cooldown: '0s' } };
  return i % 2 === 0
    ? {
        name: `bench ${i}`,
        entry,
        firstStep: 'fb',
        steps: [
          {
            id: 'fb',
            kind: 'facebook_audience',
            audience: { id: '238000000000001' },
            matchKeys: ['EMAIL', 'PHONE'],
            next: null,
          },
        ],
      }
    : {
        name: `bench ${i}`,
        entry,
        firstStep: 'split',
        steps: [
          {
            id: 'split',
            kind: 'audience_split',
            branches: [{ conditions: [{ field: 'country', op: 'eq', value: 'US' }], next: 'us' }],
            else: 'rest',
          },
          { id: 'us', kind: 'exit' },
          { id: 'rest', kind: 'exit' },
        ],
      };
}

export async function seedBenchCanvases(db: Db, workspaceId: string, count: number): Promise<void> {
  await seedWorkspace(db, workspaceId);
  const audience = { adAccountId: randomUUID(), metaAccountId: '9999', audienceId: '238000000000001' };
  for (let i = 0; i < count; i += 1)
    await seedLaunchedCanvas(db, { id: randomUUID(), workspaceId, definition: benchCanvas(i), audience });
}

/** A realistic mix: an identify per user, then mostly page views that match no canvas and some actions. */
export function benchEvents(options: {
  workspaceId: string;
  users: number;
  events: number;
  canvases: number;
  seed: number;
  userPrefix?: string;
}): OutboundMessage[] {
  const random = prng(options.seed);
  const headers = { 'workspace-id': options.workspaceId };
  const prefix = options.userPrefix ?? 'bench';
  const messages: OutboundMessage[] = [];
  for (let u = 0; u < options.users && messages.length < options.events; u += 1) {
    const userId = `${prefix}-${u}`;
    messages.push({
      key: userId,
      headers,
      value: JSON.stringify({
        type: 'identify',
        messageId: `${userId}-i`,
        userId,
        traits: {
          email: `${userId}@example.com`,
          phone: `+1415${String(1_000_000 + u)}`,
          country: random() < 0.5 ? 'US' : 'FR',
        },
      }),
    });
  }
  for (let n = 0; messages.length < options.events; n += 1) {
    const userId = `${prefix}-${Math.floor(random() * options.users)}`;
    const action = random() < 0.2;
    const event = action ? `action_${Math.floor(random() * options.canvases)}` : 'page_viewed';
    messages.push({
      key: userId,
      headers,
      value: JSON.stringify({
        type: 'track',
        messageId: `${userId}-${n}`,
        userId,
        event,
        properties: { path: '/products/42', value: Math.floor(random() * 100) },
      }),
    });
  }
  return messages;
}
