import type { CanvasDefinitionInput } from './canvas.schema.js';
import type { SegmentDefinitionInput } from '../segment/segment.schema.js';

/**
 * The README's journey: shoppers who added at least 20 to their cart wait 10 seconds, then go
 * to a new Facebook audience by e-mail and phone; buying takes them out. The API's OpenAPI
 * example and `make demo` start from it.
 */
export const abandonedCartExample = {
  name: 'Abandoned cart',
  description: 'Added to cart, no purchase within 10 seconds',
  entry: {
    trigger: { event: 'added_to_cart', conditions: [{ property: 'total', op: 'gte', value: 20 }] },
    filters: [
      { field: 'hasEmail', op: 'eq', value: true },
      { field: 'country', op: 'in', value: ['US', 'Canada'] },
    ],
    reentry: { policy: 'after_cooldown', cooldown: '7d' },
    controlGroupPercent: 10,
  },
  exitCriteria: [{ event: 'purchased' }],
  conversionGoal: { event: 'purchased', within: '3d' },
  firstStep: 'wait',
  steps: [
    { id: 'wait', kind: 'delay', name: 'Wait 10 seconds', duration: '10s', next: 'fb' },
    {
      id: 'fb',
      kind: 'facebook_audience',
      name: 'Abandoned cart audience',
      audience: { create: { name: 'Abandoned_Cart_30_Days', description: 'Added to cart, no purchase' } },
      action: 'add',
      matchKeys: ['EMAIL', 'PHONE'],
      next: null,
    },
  ],
} as const satisfies CanvasDefinitionInput;

/**
 * The segments issue's audience: carts abandoned twice in 30 days, no purchase, in the US, still
 * subscribed to e-mail.
 */
export const cartAbandonersSegmentExample = {
  name: 'Cart abandoners, US',
  description: 'Added to cart at least twice in 30 days and never bought',
  conditions: {
    all: [
      { behaviour: { did: true, event: 'added_to_cart', count: { op: 'gte', value: 2 }, window: { lastDays: 30 } } },
      { behaviour: { did: false, event: 'purchased', window: { lastDays: 30 } } },
      { profile: { field: 'country', op: 'eq', value: 'US' } },
      { reachability: { reachable: 'email_unsubscribed', is: false } },
    ],
  },
} as const satisfies SegmentDefinitionInput;

/** A canvas that enters a segment's members every Monday at 09:00 New York time into a Facebook audience. */
export const weeklySegmentCanvasExample = (segmentId: string) =>
  ({
    name: 'Weekly cart abandoners',
    entry: {
      segment: {
        segmentId,
        runs: { kind: 'recurring', every: 'week', daysOfWeek: ['mon'], time: '09:00', timeZone: 'America/New_York' },
      },
      reentry: { policy: 'after_cooldown', cooldown: '0s' },
    },
    firstStep: 'fb',
    steps: [
      {
        id: 'fb',
        kind: 'facebook_audience',
        name: 'Cart abandoners audience',
        audience: { create: { name: 'Cart_Abandoners_US' } },
        action: 'add',
        matchKeys: ['EMAIL', 'PHONE'],
        next: null,
      },
    ],
  }) as const satisfies CanvasDefinitionInput;
