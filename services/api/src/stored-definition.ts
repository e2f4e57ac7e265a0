import { readStoredDefinition, type CanvasDefinition } from '@canvas/canvas';
import { apiError } from './problem.js';

/**
 * A stored canvas version's definition, upgraded to the current format; unreadable ones are a 500
 * with their own code.
 */
export function definitionOf(stored: unknown, where: { canvasId: string; version: number }): CanvasDefinition {
  const read = readStoredDefinition(stored);
  if (read.ok) return read.definition;
  throw apiError(
    'CANVAS_UNREADABLE',
    `version ${where.version} of canvas ${where.canvasId} cannot be read: ${read.reason}`,
  );
}
