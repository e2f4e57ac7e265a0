import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { abandonedCartExample } from '../../../../packages/canvas/src/model/examples.js';
import { validateCanvas } from '../../../../packages/canvas/src/validate/validate-canvas.js';
import { joinDuration, parseValue, splitDuration, valueText, valueTypeOf } from './codecs.js';
import { setIn, unbuildable, type DraftCanvas } from './draft.js';
import { flowOf } from './flow.js';
import {
  addItem,
  allowedTargets,
  canInsert,
  cutOffBy,
  deleteStep,
  edgesOf,
  entryEdge,
  insertStep,
  moveItem,
  reachable,
  reconnect,
  removeItem,
  stepKinds,
  type EdgeRef,
} from './graph-edit.js';
import { problemHome } from './problem-home.js';
import { throughForms } from './round-trip.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const example = () => clone(abandonedCartExample) as unknown as DraftCanvas;
const codes = (draft: unknown) => {
  const result = validateCanvas(draft);
  return result.ok ? [] : result.problems.map((p) => p.code);
};

/** Everything a new step leaves for the designer to fill in, filled in. */
function filledIn(draft: DraftCanvas): DraftCanvas {
  return {
    ...draft,
    steps: (draft.steps ?? []).map((s) =>
      s.kind === 'facebook_audience' && s.audience?.create?.name === ''
        ? { ...s, audience: { create: { name: `A_${s.id}` } } }
        : s,
    ),
  };
}

const allEdges = (draft: DraftCanvas): EdgeRef[] => [
  entryEdge,
  ...(draft.steps ?? []).flatMap((s) => edgesOf(s).map((e) => ({ stepId: s.id, slot: e.slot }))),
];

/** One builder operation, chosen by numbers so fast-check can shrink it. */
type Operation = { op: 'insert' | 'delete' | 'move' | 'add' | 'remove' | 'reconnect'; a: number; b: number; c: number };
const operation = fc.record({
  op: fc.constantFrom('insert', 'insert', 'insert', 'delete', 'move', 'add', 'remove', 'reconnect'),
  a: fc.nat(50),
  b: fc.nat(50),
  c: fc.integer({ min: -1, max: 1 }),
}) as fc.Arbitrary<Operation>;

function apply(draft: DraftCanvas, { op, a, b, c }: Operation): DraftCanvas {
  const steps = draft.steps ?? [];
  const step = steps.length > 0 ? steps[a % steps.length] : undefined;
  const edges = allEdges(draft);
  const edge = edges[a % edges.length] ?? entryEdge;
  switch (op) {
    case 'insert': {
      const kind = stepKinds[b % stepKinds.length] ?? 'delay';
      return canInsert(draft, edge, kind) ? insertStep(draft, edge, kind).draft : draft;
    }
    case 'delete':
      return step && steps.length > 1 ? deleteStep(draft, step.id) : draft;
    case 'move':
    case 'add':
    case 'remove': {
      if (!step || (step.kind !== 'audience_split' && step.kind !== 'random_split')) return draft;
      const list = step.kind === 'audience_split' ? 'branches' : 'paths';
      const count = (step.kind === 'audience_split' ? step.branches : step.paths)?.length ?? 0;
      if (op === 'move') return moveItem(draft, step.id, list, b % Math.max(count, 1), c);
      if (op === 'add') return addItem(draft, step.id, list);
      return count > (list === 'branches' ? 1 : 2) ? removeItem(draft, step.id, list, b % count) : draft;
    }
    case 'reconnect': {
      const targets = allowedTargets(draft, edge);
      const target =
        b % (targets.length + 1) === targets.length ? null : (targets[b % (targets.length + 1)]?.id ?? null);
      return edge.stepId === null && target === null ? draft : reconnect(draft, edge, target);
    }
  }
}

const graphCodes = new Set(['cycle', 'unknown_step', 'duplicate_step', 'no_entry']);

describe('the builder model', () => {
  it('adds the README canvas step by step from an empty workspace, equal to the example', () => {
    let draft: DraftCanvas = { name: 'Abandoned cart', entry: { trigger: { event: 'added_to_cart' } }, steps: [] };
    draft = insertStep(draft, entryEdge, 'delay').draft;
    draft = insertStep(draft, { stepId: 'wait', slot: ['next'] }, 'facebook_audience').draft;
    expect(draft.firstStep).toBe('wait');
    expect(draft.steps?.map((s) => [s.id, s.kind, s.next])).toEqual([
      ['wait', 'delay', 'fb'],
      ['fb', 'facebook_audience', null],
    ]);
    expect(codes(draft)).toEqual(['too_short']);
  });

  it('deletes a delay by joining its neighbours, and a split with the steps only it reaches', () => {
    const draft = example();
    expect(deleteStep(draft, 'wait')).toMatchObject({ firstStep: 'fb', steps: [{ id: 'fb' }] });
    const split = insertStep(draft, { stepId: 'wait', slot: ['next'] }, 'audience_split').draft;
    expect(split.steps?.map((s) => s.id)).toEqual(['wait', 'split', 'fb']);
    expect(cutOffBy(split, 'split')).toEqual(['fb']);
    expect(deleteStep(split, 'split').steps?.map((s) => s.id)).toEqual(['wait']);
    expect(codes(deleteStep(split, 'split'))).toEqual([]);
  });

  it('reorders branches and keeps where each leads', () => {
    let draft = insertStep(example(), entryEdge, 'random_split').draft;
    draft = insertStep(draft, { stepId: 'random', slot: ['paths', 1, 'next'] }, 'exit').draft;
    const moved = moveItem(draft, 'random', 'paths', 1, -1);
    const paths = moved.steps?.find((s) => s.id === 'random')?.paths;
    expect(paths?.map((p) => [p.name, p.next])).toEqual([
      ['Path B', 'exit'],
      ['Path A', 'wait'],
    ]);
    expect(moveItem(draft, 'random', 'paths', 0, -1)).toBe(draft);
  });

  it('offers as targets only steps that make no loop', () => {
    const draft = example();
    expect(allowedTargets(draft, { stepId: 'fb', slot: ['next'] }).map((s) => s.id)).toEqual([]);
    expect(allowedTargets(draft, { stepId: 'wait', slot: ['next'] }).map((s) => s.id)).toEqual(['fb']);
    expect(allowedTargets(draft, entryEdge).map((s) => s.id)).toEqual(['wait', 'fb']);
  });

  it('draws each step once, a merge as a link, and unconnected steps apart', () => {
    let draft = insertStep(example(), entryEdge, 'audience_split').draft;
    draft = reconnect(draft, { stepId: 'split', slot: ['else'] }, 'fb');
    draft = { ...draft, steps: [...(draft.steps ?? []), { id: 'lonely', kind: 'exit' }] };
    const flow = flowOf(draft);
    expect(flow.start.then?.step.id).toBe('split');
    expect(flow.start.then?.exits.map((e) => [e.label, e.then?.step.id ?? null, e.continues?.id ?? null])).toEqual([
      ['Branch 1', 'wait', null],
      ['Everyone else', null, 'fb'],
    ]);
    expect(flow.unconnected.map((n) => n.step.id)).toEqual(['lonely']);
  });

  it('deleting a split ends the edge of an unconnected step that led into what the split alone reached', () => {
    const operations: Operation[] = [
      { op: 'reconnect', a: 0, b: 10, c: 0 },
      { op: 'insert', a: 0, b: 12, c: 0 },
      { op: 'delete', a: 0, b: 0, c: 0 },
      { op: 'insert', a: 0, b: 0, c: 0 },
    ];
    const draft = operations.reduce(apply, example());
    expect(codes(filledIn(draft)).filter((c) => graphCodes.has(c))).toEqual([]);
  });

  it('property: any sequence of builder operations keeps the graph whole: no loop, no dangling edge', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 25 }), (operations) => {
        let draft = example();
        for (const o of operations) {
          const before = draft;
          draft = apply(draft, o);
          if (o.op !== 'reconnect') {
            // only a reconnect may leave a step unconnected
            const was = reachable(before);
            const lost = [...was].filter(
              (id) => !reachable(draft).has(id) && (draft.steps ?? []).some((s) => s.id === id),
            );
            expect(lost).toEqual([]);
          }
        }
        expect(codes(filledIn(draft)).filter((c) => graphCodes.has(c))).toEqual([]);
        // and every problem it could have has a field to be shown on
        const result = validateCanvas(filledIn(draft));
        if (!result.ok) for (const p of result.problems) expect(problemHome(p.path)).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('property: definition → form → definition is the identity for valid definitions', () => {
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,11}$/);
    const scalar = fc.oneof(word, fc.integer({ min: -1000, max: 100000 }), fc.boolean());
    const condition = (subject: 'field' | 'property') =>
      fc.oneof(
        fc.record({
          [subject]: subject === 'field' ? word.map((w) => `traits.${w}`) : word,
          op: fc.constantFrom('eq', 'neq', 'gt', 'lte', 'contains'),
          value: scalar,
        }),
        fc.record({
          [subject]: subject === 'field' ? word.map((w) => `traits.${w}`) : word,
          op: fc.constantFrom('in', 'not_in'),
          value: fc.array(fc.oneof(word, fc.integer()), { maxLength: 4 }),
        }),
        fc.record({
          [subject]: subject === 'field' ? word.map((w) => `traits.${w}`) : word,
          op: fc.constantFrom('exists', 'not_exists'),
        }),
      );
    const duration = fc
      .tuple(fc.integer({ min: 0, max: 999999 }), fc.constantFrom('s', 'm', 'h', 'd', 'w'))
      .map(([n, u]) => `${n}${u}`);
    const percents = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 }).map((parts) => {
      const total = parts.reduce((a, b) => a + b, 0) || 1;
      const scaled = parts.map((p) => Math.floor((100 * p) / total));
      scaled[0] = (scaled[0] ?? 0) + 100 - scaled.reduce((a, b) => a + b, 0);
      return [...scaled, 0];
    });
    const canvas = fc.record({
      branchConditions: fc.array(fc.array(condition('field'), { minLength: 1, maxLength: 3 }), {
        minLength: 1,
        maxLength: 3,
      }),
      percents,
      conditions: fc.array(condition('property'), { maxLength: 3 }),
      filters: fc.array(condition('field'), { maxLength: 3 }),
      cooldown: duration,
      cap: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
      control: fc.integer({ min: 0, max: 100 }),
      wait: duration,
      within: duration,
    });
    fc.assert(
      fc.property(canvas, (c) => {
        let draft = example() as unknown;
        draft = setIn(draft, ['entry', 'trigger', 'conditions'], c.conditions);
        draft = setIn(draft, ['entry', 'filters'], c.filters);
        draft = setIn(draft, ['entry', 'reentry'], { policy: 'after_cooldown', cooldown: c.cooldown });
        draft = setIn(draft, ['entry', 'targetCap'], c.cap);
        draft = setIn(draft, ['entry', 'controlGroupPercent'], c.control);
        draft = setIn(draft, ['steps', 0, 'duration'], c.wait);
        draft = setIn(draft, ['conversionGoal', 'within'], c.within);
        // a random split and an audience split before the delay, their branches ending the journey
        let withSplits = insertStep(draft as DraftCanvas, entryEdge, 'audience_split').draft;
        withSplits = insertStep(withSplits, entryEdge, 'random_split').draft;
        draft = setIn(
          setIn(
            withSplits,
            ['steps', 0, 'paths'],
            c.percents.map((percent, i) => ({ percent, next: i === 0 ? 'split' : null })),
          ),
          ['steps', 1, 'branches'],
          c.branchConditions.map((conditions, i) => ({ conditions, next: i === 0 ? 'wait' : null })),
        );
        expect(codes(draft)).toEqual([]);
        expect(throughForms(draft)).toEqual(draft);
      }),
      { numRuns: 300 },
    );
    expect(throughForms(example())).toEqual(example());
  });

  it('reads durations and condition values as the forms show them', () => {
    expect(splitDuration('10s')).toEqual({ amount: '10', unit: 's' });
    expect(joinDuration('7', 'd')).toBe('7d');
    expect(splitDuration('soon')).toEqual({ amount: 'soon', unit: 'd' });
    expect(parseValue('US, Canada', 'in', 'text')).toEqual(['US', 'Canada']);
    expect(parseValue('20', 'gte', 'number')).toBe(20);
    expect(parseValue('x', 'exists', 'text')).toBeUndefined();
    expect(valueText(['US', 'Canada'])).toBe('US, Canada');
    expect(valueTypeOf([1, 2])).toBe('number');
  });

  it('says why it cannot draw JSON it does not understand', () => {
    expect(unbuildable([])).toBe('the canvas is not a JSON object');
    expect(unbuildable({ steps: {} })).toBe('"steps" is not a list');
    expect(unbuildable({ steps: [{ id: 1, kind: 'delay' }] })).toBe('step 1 has no text "id" and "kind"');
    expect(unbuildable(example())).toBeNull();
    expect(unbuildable({ name: 42, color: 'red', steps: [{ id: 'x', kind: 'sms' }] })).toBeNull();
  });
});
