import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(english);

const aliases: Record<string, string> = {
  uk: 'gb',
  'great britain': 'gb',
  england: 'gb',
  usa: 'us',
  'u.s.': 'us',
  'u.s.a.': 'us',
  america: 'us',
};

/** Answers already worked out; a lookup by name scans every country's names. */
const remembered = new Map<string, string | null>();
const rememberedMax = 4096;
const rememberedLength = 64;

/** Meta: lowercase ISO 3166-1 alpha-2. Accepts alpha-2, alpha-3 and English names ("United States" → "us"). */
export function normalizeCountry(raw: string): string | null {
  if (raw.length > rememberedLength) return lookUpCountry(raw);
  const known = remembered.get(raw);
  if (known !== undefined) return known;
  const answer = lookUpCountry(raw);
  // bounded: hostile traits may hold any number of distinct values
  if (remembered.size >= rememberedMax) remembered.clear();
  remembered.set(raw, answer);
  return answer;
}

function lookUpCountry(raw: string): string | null {
  const value = raw.trim();
  if (value.length === 0) return null;
  const lower = value.toLowerCase();
  const alias = Object.hasOwn(aliases, lower) ? aliases[lower] : undefined;
  if (alias) return alias;
  if (/^[a-z]{2}$/i.test(value) && countries.isValid(value.toUpperCase())) return lower;
  if (/^[a-z]{3}$/i.test(value)) {
    const alpha2 = countries.alpha3ToAlpha2(value.toUpperCase());
    if (alpha2) return alpha2.toLowerCase();
  }
  const byName = countries.getAlpha2Code(value, 'en');
  return byName ? byName.toLowerCase() : null;
}

/** Every ISO 3166-1 country: its alpha-2 code (upper case, as filters write it) and English name, by name. */
export function countryList(): { code: string; name: string }[] {
  return Object.entries(countries.getNames('en', { select: 'alias' }))
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
