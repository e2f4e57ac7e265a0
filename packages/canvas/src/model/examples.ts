import type { CanvasDefinitionInput } from './canvas.schema.js';

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
