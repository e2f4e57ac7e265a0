import type { Profile } from './types.js';

const dayMs = 86_400_000;

export function lookup(source: unknown, path: string): unknown {
  let current = source;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const firstDefined = (...values: unknown[]) => values.find((v) => v !== undefined && v !== null && v !== '');

function ageOn(birthday: unknown, now: Date): number | undefined {
  if (typeof birthday !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthday);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  let age = now.getUTCFullYear() - year;
  if (now.getUTCMonth() + 1 < month || (now.getUTCMonth() + 1 === month && now.getUTCDate() < day)) age -= 1;
  return age;
}

/** The value of a user field (see userFieldPattern) on a profile at a moment. */
export function userField(profile: Profile, field: string, now: Date): unknown {
  const t = profile.traits;
  if (field.startsWith('traits.')) return lookup(t, field.slice(7));
  switch (field) {
    case 'age':
      return firstDefined(ageOn(t.birthday, now), typeof t.age === 'number' ? t.age : undefined);
    case 'gender':
      return typeof t.gender === 'string' ? t.gender.toLowerCase() : undefined;
    case 'country':
      return firstDefined(t.country, lookup(t, 'address.country'));
    case 'region':
      return firstDefined(t.state, t.region, lookup(t, 'address.state'), lookup(t, 'address.region'));
    case 'city':
      return firstDefined(t.city, lookup(t, 'address.city'));
    case 'hasEmail':
      return typeof t.email === 'string' && /\S@\S/.test(t.email);
    case 'hasPhone':
      return typeof t.phone === 'string' && t.phone.replace(/\D/g, '').length >= 7;
    case 'daysSinceFirstSeen':
      return Math.floor((now.getTime() - profile.firstSeenAt.getTime()) / dayMs);
    default:
      return lookup(profile.context, field);
  }
}
