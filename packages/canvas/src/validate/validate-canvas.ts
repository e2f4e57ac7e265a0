import { CanvasDefinition } from '../model/canvas.schema.js';
import { entryProblems } from './entry-problems.js';
import { graphProblems } from './graph-problems.js';
import { placeProblems } from './place-problems.js';
import type { Problem } from './problem.js';
import { schemaProblems } from './schema-problems.js';
import { valueAndLookalikeProblems } from './value-lookalike-problems.js';

export type CanvasValidation = { ok: true; canvas: CanvasDefinition } | { ok: false; problems: Problem[] };

/** Checks a submitted canvas and reports every problem at once, each with its JSON Pointer. */
export function validateCanvas(input: unknown): CanvasValidation {
  const parsed = CanvasDefinition.safeParse(input);
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error) };
  const problems = [
    ...entryProblems(parsed.data),
    ...graphProblems(parsed.data),
    ...placeProblems(parsed.data),
    ...valueAndLookalikeProblems(parsed.data),
  ];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, canvas: parsed.data };
}
