import { stepsOf, type DraftCanvas, type DraftStep } from './draft.js';
import { edgesOf, entryEdge, type EdgeRef } from './graph-edit.js';

/** How the builder draws a journey: each step once, as a tree from the entry; a second way into a step is a link. */
export interface FlowStep {
  step: DraftStep;
  index: number;
  exits: FlowExit[];
}

export interface FlowExit {
  edge: EdgeRef;
  label: string;
  /** The step drawn below this exit; a step already drawn elsewhere is `continues` instead. */
  then: FlowStep | null;
  continues: DraftStep | null;
  /** A target that names no step of the canvas. */
  missing: string | null;
}

export interface Flow {
  start: FlowExit;
  /** Steps no path from the entry reaches, each drawn with what follows it. */
  unconnected: FlowStep[];
}

/** The flow of a draft: from the first step depth first, then what nothing reaches. */
export function flowOf(draft: DraftCanvas): Flow {
  const steps = stepsOf(draft);
  const byId = new Map<string, { step: DraftStep; index: number }>();
  steps.forEach((step, index) => {
    if (!byId.has(step.id)) byId.set(step.id, { step, index });
  });
  const drawn = new Set<number>();
  const exitTo = (edge: EdgeRef, label: string, target: string | null): FlowExit => {
    const found = target === null ? undefined : byId.get(target);
    if (!found) return { edge, label, then: null, continues: null, missing: target };
    if (drawn.has(found.index)) return { edge, label, then: null, continues: found.step, missing: null };
    return { edge, label, then: draw(found.step, found.index), continues: null, missing: null };
  };
  const draw = (step: DraftStep, index: number): FlowStep => {
    drawn.add(index);
    return {
      step,
      index,
      exits: edgesOf(step).map((e) => exitTo({ stepId: step.id, slot: e.slot }, e.label, e.target)),
    };
  };
  const start = exitTo(entryEdge, '', typeof draft.firstStep === 'string' ? draft.firstStep : null);
  const unconnected: FlowStep[] = [];
  steps.forEach((step, index) => {
    if (!drawn.has(index)) unconnected.push(draw(step, index));
  });
  return { start, unconnected };
}
