/**
 * What says a user opted out of ads and data sharing, after Segment's and Braze's conventions:
 * any one of these is enough, and such a user is never sent to Meta.
 */
export const adOptOutSignals = [
  'trait ads_opt_out = true (or adsOptOut)',
  'trait do_not_sell = true (or doNotSell; CCPA "Do Not Sell or Share")',
  'trait ad_personalization = false (or adPersonalization)',
  'context.consent.categoryPreferences.Advertising = false (Segment Consent Management; any case of "advertising")',
] as const;

const isTrue = (value: unknown) => value === true || value === 'true';
const isFalse = (value: unknown) => value === false || value === 'false';

function advertisingConsent(context: Readonly<Record<string, unknown>>): unknown {
  const consent = context.consent as { categoryPreferences?: unknown } | undefined;
  const preferences = consent?.categoryPreferences;
  if (preferences === null || typeof preferences !== 'object') return undefined;
  const entry = Object.entries(preferences).find(([category]) => category.toLowerCase() === 'advertising');
  return entry?.[1];
}

/** Whether a profile says the user opted out of ads / data sharing (see `adOptOutSignals`). */
export function adsOptedOut(
  traits: Readonly<Record<string, unknown>>,
  context: Readonly<Record<string, unknown>> = {},
): boolean {
  return (
    isTrue(traits.ads_opt_out) ||
    isTrue(traits.adsOptOut) ||
    isTrue(traits.do_not_sell) ||
    isTrue(traits.doNotSell) ||
    isFalse(traits.ad_personalization) ||
    isFalse(traits.adPersonalization) ||
    isFalse(advertisingConsent(context))
  );
}
