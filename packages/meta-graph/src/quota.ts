/** Meta's custom_audience business-use-case quota per ad account and rolling hour. */
export function customAudienceQuota(activeAudiences: number, tier: 'full' | 'limited' = 'full'): number {
  const base = tier === 'full' ? 190_000 : 5_000;
  return Math.min(700_000, base + 40 * Math.max(0, activeAudiences));
}
