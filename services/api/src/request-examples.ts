/**
 * One request body per operation that the API accepts as it is (Swagger UI's "Try it out"
 * sends them). The ad account and token are the ones `make dev`'s sandbox knows.
 */
export const requestExamples = {
  connectAdAccount: { adAccountId: 'act_1234567890', accessToken: 'EAAB-example-token-0001', makeDefault: true },
  replaceToken: { accessToken: 'EAAB-example-token-0001' },
  createApiKey: { label: 'CI pipeline' },
  canvas: {
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
  },
} as const;
