import type { Json } from './draft.js';

/** Duration units as the canvas language writes them, with their names. */
export const durationUnits = [
  ['s', 'seconds'],
  ['m', 'minutes'],
  ['h', 'hours'],
  ['d', 'days'],
  ['w', 'weeks'],
] as const;

/** "10s" as an amount and a unit for the form; text that is no duration stays whole in `amount`. */
export function splitDuration(duration: unknown): { amount: string; unit: string } {
  if (typeof duration !== 'string') return { amount: '', unit: 'd' };
  const match = /^(\d*)(s|m|h|d|w)$/.exec(duration);
  return match ? { amount: match[1] ?? '', unit: match[2] ?? 'd' } : { amount: duration, unit: 'd' };
}

/** The form's amount and unit as a duration ("10", "s" → "10s"); an empty amount stays for validation to name. */
export function joinDuration(amount: string, unit: string): string {
  return `${amount.trim()}${unit}`;
}

/** How a condition's value is typed in the form. */
export type ValueType = 'text' | 'number' | 'boolean';

/** Operators that take no value, and those that take a list. */
export const valuelessOps = new Set(['exists', 'not_exists']);
export const listOps = new Set(['in', 'not_in']);

/** The type a condition's value has now, for the form's type choice. */
export function valueTypeOf(value: unknown): ValueType {
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'number' ? 'number' : typeof first === 'boolean' ? 'boolean' : 'text';
}

const scalarText = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

/** A value as the form shows it: a list as "a, b, c". */
export function valueText(value: unknown): string {
  return Array.isArray(value) ? value.map(scalarText).join(', ') : scalarText(value);
}

/** One typed scalar from text: a number when it reads as one, a boolean "true"/"false", else the text. */
export function parseScalar(text: string, type: ValueType): Json {
  if (type === 'number') {
    const trimmed = text.trim();
    const number = Number(trimmed);
    return trimmed !== '' && Number.isFinite(number) ? number : text;
  }
  if (type === 'boolean') return text.trim() === 'true';
  return text;
}

/**
 * The form's text as a condition value for the operator: none, a list split at commas, or one
 * scalar. A list item whose text is unchanged keeps the value it had (so `["a", 0]` stays mixed).
 */
export function parseValue(text: string, op: string, type: ValueType, previous?: Json): Json | undefined {
  if (valuelessOps.has(op)) return undefined;
  if (listOps.has(op)) {
    const before = Array.isArray(previous) ? previous : [];
    return text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => before.find((old) => scalarText(old) === item) ?? parseScalar(item, type));
  }
  return parseScalar(text, type);
}

/**
 * A value carried over to a new operator: dropped for exists, wrapped in a list for in, the
 * first item for a single-value operator.
 */
export function valueForOp(value: Json | undefined, op: string): Json | undefined {
  if (valuelessOps.has(op)) return undefined;
  if (listOps.has(op)) return Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (Array.isArray(value)) return value[0] ?? '';
  return value ?? '';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO moment as a datetime-local input shows it, in this browser's time zone; '' when it is none. */
export function isoToLocalInput(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** A datetime-local input's value (this browser's time zone) as an ISO moment in UTC; undefined when empty. */
export function localInputToIso(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** A whole number from a number input, or undefined when it is empty (the key is then left out). */
export function parseWhole(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}
