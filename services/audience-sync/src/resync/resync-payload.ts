import type { ResyncRow } from '@canvas/db';
import { dataProcessingColumns, matchKeys, type PayloadColumn, type UsersPayload } from '@canvas/meta-graph';

const canonical: readonly string[] = [...matchKeys, ...dataProcessingColumns];
const rank = (column: string) => {
  const at = canonical.indexOf(column);
  return at === -1 ? canonical.length : at;
};

/**
 * One schema for every batch of a session (Meta requires it): every column any member's row has,
 * match keys first in their usual order, then the data-processing (Limited Data Use) columns.
 */
export function resyncSchema(columns: readonly string[]): string[] {
  return [...new Set(columns)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A batch's rows in the session's schema; a column a row was stored without is empty (no LDU: `[]`, 0, 0). */
export function resyncPayload(schema: readonly string[], rows: readonly ResyncRow[]): UsersPayload {
  return {
    schema: [...schema] as PayloadColumn[],
    data: rows.map((row) => {
      const byColumn = new Map(row.schema.map((column, i) => [column, row.values[i] ?? '']));
      return schema.map((column) => byColumn.get(column) ?? '');
    }),
  };
}
