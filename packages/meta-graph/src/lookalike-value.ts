/** The customer-file column of a value-based audience: each person's value, a number ≥ 0, not hashed. */
export const lookalikeValueColumn = 'LOOKALIKE_VALUE' as const;
export type LookalikeValueColumn = typeof lookalikeValueColumn;

// plain decimal notation, with an optional exponent: "12", "12.50", ".5", "1e3"; no sign, no separators
const decimalText = /^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Meta's LOOKALIKE_VALUE from a trait: a finite number ≥ 0, given as a number or as decimal text, in
 * its shortest decimal spelling ("12.5"); null when there is no usable value (decision 35).
 */
export function lookalikeValue(raw: unknown): string | null {
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && decimalText.test(raw.trim())) value = Number(raw.trim());
  else return null;
  if (!Number.isFinite(value) || value < 0) return null;
  // -0 is 0
  return String(value === 0 ? 0 : value);
}

/** Adds the LOOKALIKE_VALUE column to a user's row for a value-based audience. */
export function withLookalikeValue<C extends string>(
  row: { schema: C[]; values: string[] },
  value: string,
): { schema: (C | LookalikeValueColumn)[]; values: string[] } {
  return { schema: [...row.schema, lookalikeValueColumn], values: [...row.values, value] };
}
