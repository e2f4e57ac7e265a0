import { getIn, setIn, stepsOf, type DraftCanvas, type DraftStep, type Json, type Path } from './draft.js';

/** An edge of the journey: the entry's first step (stepId null), or a step's next, else, branch or path. */
export interface EdgeRef {
  stepId: string | null;
  /** Inside the step: ['next'], ['else'], ['branches', i, 'next'] or ['paths', i, 'next']. */
  slot: Path;
}

export const entryEdge: EdgeRef = { stepId: null, slot: [] };

/** The step kinds, in the order the "add a step" menu offers them. */
export const stepKinds = ['delay', 'facebook_audience', 'audience_split', 'random_split', 'exit'] as const;
export type StepKind = (typeof stepKinds)[number];

export const stepKindNames: Record<StepKind, string> = {
  delay: 'Delay',
  facebook_audience: 'Facebook Audience',
  audience_split: 'Audience split',
  random_split: 'Random split',
  exit: 'Exit',
};

const idStems: Record<StepKind, string> = {
  delay: 'wait',
  facebook_audience: 'fb',
  audience_split: 'split',
  random_split: 'random',
  exit: 'exit',
};

const asList = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const asTarget = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Every edge leaving a step, with its label, in the order the step lists them. */
export function edgesOf(step: DraftStep): { slot: Path; target: string | null; label: string }[] {
  switch (step.kind) {
    case 'delay':
    case 'facebook_audience':
      return [{ slot: ['next'], target: asTarget(step.next), label: '' }];
    case 'audience_split':
      return [
        ...asList<{ name?: unknown; next?: unknown }>(step.branches).map((b, i) => ({
          slot: ['branches', i, 'next'],
          target: asTarget(b?.next),
          label: typeof b?.name === 'string' && b.name ? b.name : `Branch ${i + 1}`,
        })),
        { slot: ['else'], target: asTarget(step.else), label: 'Everyone else' },
      ];
    case 'random_split':
      return asList<{ name?: unknown; percent?: unknown; next?: unknown }>(step.paths).map((p, i) => ({
        slot: ['paths', i, 'next'],
        target: asTarget(p?.next),
        label: typeof p?.name === 'string' && p.name ? p.name : `Path ${i + 1}`,
      }));
    default:
      return [];
  }
}

const indexOf = (draft: DraftCanvas, id: string) => stepsOf(draft).findIndex((s) => s.id === id);

/** Where an edge leads now. */
export function targetOf(draft: DraftCanvas, edge: EdgeRef): string | null {
  if (edge.stepId === null) return asTarget(draft.firstStep);
  const index = indexOf(draft, edge.stepId);
  return index < 0 ? null : asTarget(getIn(draft, ['steps', index, ...edge.slot]));
}

/** The draft with an edge leading to `target` (null ends the journey there). */
export function setTarget(draft: DraftCanvas, edge: EdgeRef, target: string | null): DraftCanvas {
  if (edge.stepId === null) return setIn(draft, ['firstStep'], target ?? undefined);
  const index = indexOf(draft, edge.stepId);
  return index < 0 ? draft : setIn(draft, ['steps', index, ...edge.slot], target);
}

/** The ids every path from the first step reaches. */
export function reachable(draft: DraftCanvas): Set<string> {
  const byId = new Map(stepsOf(draft).map((s) => [s.id, s]));
  const seen = new Set<string>();
  const stack = typeof draft.firstStep === 'string' ? [draft.firstStep] : [];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    const step = byId.get(id);
    if (!step || seen.has(id)) continue;
    seen.add(id);
    for (const edge of edgesOf(step)) if (edge.target) stack.push(edge.target);
  }
  return seen;
}

/** A new step id for a kind: "wait", "wait_2", …, unused in the draft. */
export function newStepId(draft: DraftCanvas, kind: StepKind): string {
  const used = new Set(stepsOf(draft).map((s) => s.id));
  const stem = idStems[kind];
  if (!used.has(stem)) return stem;
  for (let n = 2; ; n++) if (!used.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

/** A step of a kind as the builder first offers it; `next` is where it continues. */
export function newStep(kind: StepKind, id: string, next: string | null): DraftStep {
  switch (kind) {
    case 'delay':
      return { id, kind, name: 'Wait', duration: '1d', next };
    case 'facebook_audience':
      return {
        id,
        kind,
        name: 'Facebook audience',
        audience: { create: { name: '' } },
        action: 'add',
        matchKeys: ['EMAIL'],
        next,
      };
    case 'audience_split':
      return {
        id,
        kind,
        name: 'Audience split',
        branches: [{ name: 'Branch 1', conditions: [{ field: 'hasEmail', op: 'eq', value: true }], next }],
        else: null,
      };
    case 'random_split':
      return {
        id,
        kind,
        name: 'Random split',
        paths: [
          { name: 'Path A', percent: 50, next },
          { name: 'Path B', percent: 50, next: null },
        ],
      };
    case 'exit':
      return { id, kind, name: 'Exit' };
  }
}

/** Whether a step of this kind can go on an edge: an exit only where the path ends. */
export function canInsert(draft: DraftCanvas, edge: EdgeRef, kind: StepKind): boolean {
  return kind !== 'exit' || targetOf(draft, edge) === null;
}

/**
 * A new step on an edge: the edge leads to it and it leads where the edge led (a split's first
 * branch or path does). It goes into `steps` just after the step the edge leaves, so the JSON
 * reads in journey order.
 */
export function insertStep(draft: DraftCanvas, edge: EdgeRef, kind: StepKind): { draft: DraftCanvas; id: string } {
  const id = newStepId(draft, kind);
  const step = newStep(kind, id, kind === 'exit' ? null : targetOf(draft, edge));
  const steps = [...stepsOf(draft)];
  const at = edge.stepId === null ? 0 : indexOf(draft, edge.stepId) + 1;
  steps.splice(at, 0, step);
  return { draft: setTarget({ ...draft, steps }, edge, id), id };
}

/** Removes steps that `before` reached from the first step and `after` no longer does. */
function pruneCutOff(before: DraftCanvas, after: DraftCanvas): DraftCanvas {
  const was = reachable(before);
  const is = reachable(after);
  const steps = stepsOf(after).filter((s) => !was.has(s.id) || is.has(s.id));
  if (steps.length === stepsOf(after).length) return after;
  const kept = new Set(steps.map((s) => s.id));
  let pruned: DraftCanvas = { ...after, steps };
  // an unconnected step that led into a pruned one now ends there, so no edge dangles
  for (const other of steps)
    for (const edge of edgesOf(other))
      if (edge.target && !kept.has(edge.target))
        pruned = setTarget(pruned, { stepId: other.id, slot: edge.slot }, null);
  return pruned;
}

/** Steps that only this step leads to: deleting it (or one of its branches) deletes them too. */
export function cutOffBy(draft: DraftCanvas, id: string): string[] {
  const after = deleteStep(draft, id);
  const left = new Set(stepsOf(after).map((s) => s.id));
  return stepsOf(draft)
    .map((s) => s.id)
    .filter((s) => s !== id && !left.has(s));
}

/**
 * Deletes a step. Edges that led to it lead where it led (a delay's or Facebook step's next);
 * after a split or an exit they end the journey, and the steps only the split reached go too.
 */
export function deleteStep(draft: DraftCanvas, id: string): DraftCanvas {
  const index = indexOf(draft, id);
  const step = stepsOf(draft)[index];
  if (!step) return draft;
  const successor = step.kind === 'delay' || step.kind === 'facebook_audience' ? asTarget(step.next) : null;
  let after: DraftCanvas = { ...draft, steps: stepsOf(draft).filter((_, i) => i !== index) };
  if (draft.firstStep === id) after = setTarget(after, entryEdge, successor);
  for (const other of stepsOf(after))
    for (const edge of edgesOf(other))
      if (edge.target === id) after = setTarget(after, { stepId: other.id, slot: edge.slot }, successor);
  return pruneCutOff(draft, after);
}

/** Points an edge at another step, or ends the journey there (null). Steps it no longer reaches stay, unconnected. */
export function reconnect(draft: DraftCanvas, edge: EdgeRef, target: string | null): DraftCanvas {
  return setTarget(draft, edge, target);
}

/** The steps an edge may lead to without making a loop: every step the edge's own step is not reachable from. */
export function allowedTargets(draft: DraftCanvas, edge: EdgeRef): DraftStep[] {
  const steps = stepsOf(draft);
  if (edge.stepId === null) return steps;
  const byId = new Map(steps.map((s) => [s.id, s]));
  const leadsTo = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (id === to) return true;
      const step = byId.get(id);
      if (!step || seen.has(id)) continue;
      seen.add(id);
      for (const e of edgesOf(step)) if (e.target) stack.push(e.target);
    }
    return false;
  };
  const from = edge.stepId;
  return steps.filter((s) => !leadsTo(s.id, from));
}

type ListName = 'branches' | 'paths';

/** Moves a split's branch or path by `delta` places (left is -1). */
export function moveItem(
  draft: DraftCanvas,
  stepId: string,
  list: ListName,
  index: number,
  delta: number,
): DraftCanvas {
  const at = indexOf(draft, stepId);
  const items = [...asList<Json>(getIn(draft, ['steps', at, list]))];
  const to = index + delta;
  if (at < 0 || to < 0 || to >= items.length || index < 0 || index >= items.length) return draft;
  const [item] = items.splice(index, 1);
  items.splice(to, 0, item as Json);
  return setIn(draft, ['steps', at, list], items);
}

/** A further branch (audience split) or path (random split, at 0 %), ending the journey. */
export function addItem(draft: DraftCanvas, stepId: string, list: ListName): DraftCanvas {
  const at = indexOf(draft, stepId);
  if (at < 0) return draft;
  const items = asList<Json>(getIn(draft, ['steps', at, list]));
  const item =
    list === 'branches'
      ? { name: `Branch ${items.length + 1}`, conditions: [{ field: 'hasEmail', op: 'eq', value: true }], next: null }
      : { name: `Path ${String.fromCharCode(65 + (items.length % 26))}`, percent: 0, next: null };
  return setIn(draft, ['steps', at, list], [...items, item]);
}

/** Removes a branch or path, and the steps only it reached. */
export function removeItem(draft: DraftCanvas, stepId: string, list: ListName, index: number): DraftCanvas {
  const at = indexOf(draft, stepId);
  if (at < 0) return draft;
  return pruneCutOff(draft, setIn(draft, ['steps', at, list, index], undefined));
}
