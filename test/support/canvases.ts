/** The README's example canvas as a designer would POST it. */
export function abandonedCartCanvas(
  options: { adAccountId?: string; delay?: string; audienceName?: string; name?: string } = {},
) {
  return {
    name: options.name ?? 'Abandoned cart',
    entry: { trigger: { event: 'added_to_cart' } },
    exitCriteria: [{ event: 'purchased' }],
    firstStep: 'wait',
    steps: [
      { id: 'wait', kind: 'delay', duration: options.delay ?? '10s', next: 'fb' },
      {
        id: 'fb',
        kind: 'facebook_audience',
        ...(options.adAccountId ? { adAccountId: options.adAccountId } : {}),
        audience: {
          create: { name: options.audienceName ?? 'Abandoned_Cart_30_Days', description: 'Added to cart, did not buy' },
        },
        matchKeys: ['EMAIL', 'PHONE'],
        next: null,
      },
    ],
  };
}

/** Everyone who sends `viewed` enters one Facebook step (EMAIL), whose counters a test can reconcile. */
export const viewersToAudienceCanvas = () => ({
  name: 'viewers',
  entry: { trigger: { event: 'viewed' } },
  firstStep: 'fb',
  steps: [
    {
      id: 'fb',
      kind: 'facebook_audience' as const,
      audience: { id: '238000001' },
      matchKeys: ['EMAIL' as const],
      next: null,
    },
  ],
});
