import { splitBirthday } from '@canvas/normalize';
import { assertNever } from '../assert-never.js';
import type { MatchKey } from './match-keys.js';

/** What the journey runner knows about a user, as far as matching is concerned. */
export interface MatchSource {
  userId: string;
  traits: Readonly<Record<string, unknown>>;
  /** Device advertising id seen in event context, when traits carry none. */
  advertisingId?: string | undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

function pick(traits: Readonly<Record<string, unknown>>, ...paths: string[]): string | undefined {
  for (const path of paths) {
    let current: unknown = traits;
    for (const part of path.split('.')) {
      current =
        typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[part] : undefined;
    }
    const value = text(current);
    if (value !== undefined && value.trim().length > 0) return value;
  }
  return undefined;
}

/** Segment's reserved `name` ("Peter Gibbons"): the first word is the first name, the rest the last name. */
function nameParts(traits: Readonly<Record<string, unknown>>): { first?: string; last?: string } {
  const words = (pick(traits, 'name') ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const [first, ...rest] = words;
  return { ...(first ? { first } : {}), ...(rest.length > 0 ? { last: rest.join(' ') } : {}) };
}

/** Where each match key is read from in Segment-style traits. */
export function rawMatchValue(key: MatchKey, source: MatchSource): string | undefined {
  const t = source.traits;
  const birthday = pick(t, 'birthday');
  const parts = birthday ? splitBirthday(birthday) : null;
  switch (key) {
    case 'EMAIL':
      return pick(t, 'email');
    case 'PHONE':
      return pick(t, 'phone');
    case 'FN':
    case 'FI':
      return pick(t, 'firstName', 'first_name') ?? nameParts(t).first;
    case 'LN':
      return pick(t, 'lastName', 'last_name') ?? nameParts(t).last;
    case 'GEN':
      return pick(t, 'gender');
    case 'DOBY':
      return parts?.year;
    case 'DOBM':
      return parts?.month;
    case 'DOBD':
      return parts?.day;
    case 'CT':
      return pick(t, 'city', 'address.city');
    case 'ST':
      return pick(t, 'state', 'address.state');
    case 'ZIP':
      return pick(t, 'postalCode', 'zip', 'address.postalCode', 'address.postal_code');
    case 'COUNTRY':
      return pick(t, 'country', 'address.country');
    case 'MADID':
      return pick(t, 'madid', 'advertisingId') ?? source.advertisingId;
    case 'EXTERN_ID':
      return pick(t, 'externalId', 'external_id') ?? source.userId;
    default:
      return assertNever(key);
  }
}

/** A trait or nested trait ("address.country") as text, when it has any. */
export function traitText(traits: Readonly<Record<string, unknown>>, ...paths: string[]): string | undefined {
  return pick(traits, ...paths);
}

/** The device advertising id an event's context carried (`context.device.advertisingId`), if any. */
export function deviceAdvertisingId(context: Readonly<Record<string, unknown>>): string | undefined {
  const device = context.device as { advertisingId?: unknown } | undefined;
  return typeof device?.advertisingId === 'string' ? device.advertisingId : undefined;
}
