import type { CanvasDefinition } from '../model/canvas.schema.js';
import type { Problem } from './problem.js';

/** Rules of a segment entry's schedule that the schema alone cannot express. */
export function entryProblems(canvas: CanvasDefinition): Problem[] {
  const runs = canvas.entry.segment?.runs;
  if (runs?.kind !== 'recurring') return [];
  const at = '/entry/segment/runs';
  if (runs.every === 'week' && runs.daysOfWeek === undefined)
    return [{ code: 'run_rule', path: `${at}/daysOfWeek`, message: 'a weekly run names its days, e.g. ["mon"]' }];
  if (runs.every === 'month' && runs.dayOfMonth === undefined)
    return [{ code: 'run_rule', path: `${at}/dayOfMonth`, message: 'a monthly run names its day of the month' }];
  if (runs.every !== 'week' && runs.daysOfWeek !== undefined)
    return [{ code: 'run_rule', path: `${at}/daysOfWeek`, message: 'daysOfWeek is for weekly runs' }];
  if (runs.every !== 'month' && runs.dayOfMonth !== undefined)
    return [{ code: 'run_rule', path: `${at}/dayOfMonth`, message: 'dayOfMonth is for monthly runs' }];
  return [];
}
