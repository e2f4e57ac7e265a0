/** The README's example canvas as a designer would POST it. */
export function abandonedCartCanvas(
  options: {
    adAccountId?: string;
    delay?: string;
    audienceName?: string;
    name?: string;
    controlGroupPercent?: number;
  } = {},
) {
  const { controlGroupPercent } = options;
  return {
    name: options.name ?? 'Abandoned cart',
    entry: { trigger: { event: 'added_to_cart' }, ...(controlGroupPercent ? { controlGroupPercent } : {}) },
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

/** A Facebook step adding to (or, with `action: 'remove'`, removing from) an audience it creates. */
export const audienceStep = (
  id: string,
  audienceName: string,
  matchKeys: string[],
  next: string | null = null,
  extra: Record<string, unknown> = {},
) => ({ id, kind: 'facebook_audience', audience: { create: { name: audienceName } }, matchKeys, ...extra, next });

/** A Facebook step removing users from the audience that step `fromStep` adds them to. */
export const removalStep = (id: string, fromStep: string, matchKeys: string[], next: string | null = null) => ({
  id,
  kind: 'facebook_audience',
  audience: { fromStep },
  action: 'remove',
  matchKeys,
  next,
});

/** A canvas as a designer would POST it: entered on `event`, starting at its first step. */
export const triggeredCanvas = <S extends { id: string }>(name: string, event: string, steps: S[]) => ({
  name,
  entry: { trigger: { event } },
  firstStep: steps[0]!.id,
  steps,
});
