import { normalizeEmail, normalizeExternId, normalizeMadid, normalizePhone, normalizeCountry } from '@canvas/normalize';
import { identifierKeys, type MatchKey } from '../model/match-keys.js';
import { rawMatchValue, traitText, type MatchSource } from '../model/match-source.js';

/**
 * The traits reachability reads. E-mail and SMS opt-outs follow Braze's subscription states
 * (`email_subscribe` / `sms_subscribe` = "unsubscribed") and plain booleans producers use.
 */
export const reachabilityTraits = {
  emailUnsubscribed: ['email_subscribe = "unsubscribed"', 'emailUnsubscribed = true', 'unsubscribed_email = true'],
  smsUnsubscribed: ['sms_subscribe = "unsubscribed"', 'smsUnsubscribed = true', 'unsubscribed_sms = true'],
} as const;

const truthy = (value: unknown) => value === true || value === 'true';

export function emailUnsubscribed(traits: Readonly<Record<string, unknown>>): boolean {
  return (
    traits.email_subscribe === 'unsubscribed' || truthy(traits.emailUnsubscribed) || truthy(traits.unsubscribed_email)
  );
}

export function smsUnsubscribed(traits: Readonly<Record<string, unknown>>): boolean {
  return traits.sms_subscribe === 'unsubscribed' || truthy(traits.smsUnsubscribed) || truthy(traits.unsubscribed_sms);
}

/** Whether the user has a value for an identifier key that Meta's normalisation keeps. */
export function identifierUsable(key: MatchKey, source: MatchSource): boolean {
  const raw = rawMatchValue(key, source);
  if (raw === undefined) return false;
  switch (key) {
    case 'EMAIL':
      return normalizeEmail(raw) !== null;
    case 'PHONE': {
      const country = traitText(source.traits, 'country', 'address.country');
      return normalizePhone(raw, country === undefined ? undefined : (normalizeCountry(country) ?? undefined)) !== null;
    }
    case 'MADID':
      return normalizeMadid(raw) !== null;
    case 'EXTERN_ID':
      return normalizeExternId(raw) !== null;
    default:
      return false;
  }
}

/** The identifier keys a user could be matched on, of those asked for. */
export function usableIdentifiers(source: MatchSource, keys: readonly MatchKey[] = identifierKeys): MatchKey[] {
  return keys.filter((key) => identifierUsable(key, source));
}
