import type { CanvasDefinition } from '../model/canvas.schema.js';
import type { Problem } from './problem.js';

/** A step that follows the segment needs a segment to follow, adds, and users who may come back. */
function followProblems(canvas: CanvasDefinition): Problem[] {
  return canvas.steps.flatMap((step, index): Problem[] => {
    if (step.kind !== 'facebook_audience') return [];
    if (!step.followSegment)
      return step.resync === 'each_run'
        ? [{ code: 'follow_segment', path: `/steps/${index}/resync`, message: 'only a following step is resynced' }]
        : [];
    const path = `/steps/${index}/followSegment`;
    if (!canvas.entry.segment)
      return [{ code: 'follow_segment', path, message: 'only a canvas that enters a segment can follow it' }];
    if (step.action !== 'add')
      return [{ code: 'follow_segment', path, message: 'a following step adds; it removes those who leave by itself' }];
    if (canvas.entry.reentry.policy === 'never')
      return [
        {
          code: 'follow_segment',
          path: '/entry/reentry',
          message: 'a following audience lets removed users come back: use after_cooldown',
        },
      ];
    return [];
  });
}

/** Rules of a segment entry that the schema alone cannot express. */
export function entryProblems(canvas: CanvasDefinition): Problem[] {
  return [...runProblems(canvas), ...followProblems(canvas)];
}

function runProblems(canvas: CanvasDefinition): Problem[] {
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
