import { traitText } from '@canvas/canvas';
import { normalizeCountry, normalizeState } from '@canvas/normalize';
import type { MatchKey } from './match-keys.js';
import { lookalikeValueColumn, type LookalikeValueColumn } from './lookalike-value.js';

/** The customer-file columns that carry Meta's data processing options (Limited Data Use). */
export const dataProcessingColumns = [
  'DATA_PROCESSING_OPTIONS',
  'DATA_PROCESSING_OPTIONS_COUNTRY',
  'DATA_PROCESSING_OPTIONS_STATE',
] as const;
export type DataProcessingColumn = (typeof dataProcessingColumns)[number];
/** A column of a `/users` payload: a match key, a data-processing column, or a value-based audience's value. */
export type PayloadColumn = MatchKey | DataProcessingColumn | LookalikeValueColumn;

export const isDataProcessingColumn = (column: string): column is DataProcessingColumn =>
  (dataProcessingColumns as readonly string[]).includes(column);

/** What says a user asks for Limited Data Use (docs/decisions/0033). */
export const limitedDataUseSignals = ['trait limited_data_use = true (or limitedDataUse)'] as const;

const isTrue = (value: unknown) => value === true || value === 'true';

export function asksLimitedDataUse(traits: Readonly<Record<string, unknown>>): boolean {
  return isTrue(traits.limited_data_use) || isTrue(traits.limitedDataUse);
}

/**
 * Meta's codes: country 1 (US) and state 1000 (California), the only state where customer lists
 * offer LDU; 0 and 0 let Meta decide where the person lives when the profile does not say California.
 */
export function limitedDataUseCells(traits: Readonly<Record<string, unknown>>): [string, string, string] {
  const rawCountry = traitText(traits, 'country', 'address.country');
  const country = rawCountry === undefined ? undefined : (normalizeCountry(rawCountry) ?? undefined);
  const rawState = traitText(traits, 'state', 'address.state');
  const state = rawState === undefined ? null : normalizeState(rawState, country);
  const california = state === 'ca' && (country === undefined || country === 'us');
  return california ? ['LDU', '1', '1000'] : ['LDU', '0', '0'];
}

/** Adds the data-processing columns to a user's row when their consent asks for Limited Data Use. */
export function withLimitedDataUse(
  schema: readonly MatchKey[],
  values: readonly string[],
  traits: Readonly<Record<string, unknown>>,
): { schema: PayloadColumn[]; values: string[] } {
  if (!asksLimitedDataUse(traits)) return { schema: [...schema], values: [...values] };
  return { schema: [...schema, ...dataProcessingColumns], values: [...values, ...limitedDataUseCells(traits)] };
}

/** A stored row as Meta reads it: the options as a list (["LDU"]), country, state and LOOKALIKE_VALUE as numbers. */
export function wireRow(schema: readonly string[], row: readonly string[]): (string | number | string[])[] {
  return row.map((cell, i) => {
    const column = schema[i] ?? '';
    if (column === 'DATA_PROCESSING_OPTIONS') return cell === '' ? [] : cell.split(',');
    if (isDataProcessingColumn(column) || column === lookalikeValueColumn) return Number(cell || 0);
    return cell;
  });
}
