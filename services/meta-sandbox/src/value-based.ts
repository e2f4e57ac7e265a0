import { lookalikeValueColumn } from '@canvas/meta-graph';
import type { SandboxAudience } from './audience-store.js';
import { errors, type GraphFailure } from './graph-errors.js';

/**
 * Meta's answer to a `/users` write that does not fit the audience: rows of a value-based audience
 * carry LOOKALIKE_VALUE, adds and removals alike; a lookalike takes no rows at all.
 */
export function valueBasedRefusal(audience: SandboxAudience, schema: readonly string[]): GraphFailure | undefined {
  if (audience.subtype === 'LOOKALIKE')
    return errors.invalidParameter('A lookalike audience is built by Meta; users cannot be added or removed');
  if (audience.isValueBased && !schema.includes(lookalikeValueColumn)) return errors.lookalikeValueMissing();
  return undefined;
}

/**
 * The columns to store: a value-based audience keeps each member's LOOKALIKE_VALUE (the admin API shows
 * it); any other audience ignores the column (an emulator choice: Meta's answer is not documented).
 */
export function valueBasedColumns(
  audience: SandboxAudience,
  request: { schema: string[]; data: string[][] },
): { schema: string[]; data: string[][] } {
  const at = request.schema.indexOf(lookalikeValueColumn);
  if (audience.isValueBased || at < 0) return request;
  return {
    schema: request.schema.filter((_, i) => i !== at),
    data: request.data.map((row) => row.filter((_, i) => i !== at)),
  };
}
