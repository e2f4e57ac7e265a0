import { joinDuration, parseValue, parseWhole, splitDuration, valueText, valueTypeOf } from './codecs.js';
import { getIn, setIn, type Json, type Path } from './draft.js';

/**
 * Every value the builder's forms show through a codec, as the form would write it back after
 * showing it: the definition → form → definition trip. For a valid definition the answer equals
 * the definition (a property test holds it to that).
 */
export function throughForms(definition: unknown): unknown {
  let out = definition;
  const at = (path: Path, codec: (value: unknown) => unknown) => {
    const value = getIn(out, path);
    if (value !== undefined) out = setIn(out, path, codec(value));
  };
  const duration = (value: unknown) => {
    const { amount, unit } = splitDuration(value);
    return joinDuration(amount, unit);
  };
  const whole = (value: unknown) => parseWhole(String(value));
  const conditions = (path: Path) => {
    const list = getIn(out, path);
    if (!Array.isArray(list)) return;
    list.forEach((c: { op?: string; value?: Json }, i) => {
      if (c.value === undefined || typeof c.op !== 'string') return;
      at([...path, i, 'value'], (v) => parseValue(valueText(v), c.op ?? 'eq', valueTypeOf(v), v as Json));
    });
  };
  conditions(['entry', 'trigger', 'conditions']);
  conditions(['entry', 'filters']);
  conditions(['conversionGoal', 'conditions']);
  at(['entry', 'reentry', 'cooldown'], duration);
  at(['entry', 'targetCap'], whole);
  at(['entry', 'controlGroupPercent'], whole);
  at(['conversionGoal', 'within'], duration);
  const exits = getIn(out, ['exitCriteria']);
  if (Array.isArray(exits)) exits.forEach((_, i) => conditions(['exitCriteria', i, 'conditions']));
  const steps = getIn(out, ['steps']);
  if (Array.isArray(steps))
    steps.forEach((step: { kind?: string; branches?: unknown; paths?: unknown }, i) => {
      if (step.kind === 'delay') at(['steps', i, 'duration'], duration);
      if (Array.isArray(step.branches))
        step.branches.forEach((_, b) => conditions(['steps', i, 'branches', b, 'conditions']));
      if (Array.isArray(step.paths)) step.paths.forEach((_, p) => at(['steps', i, 'paths', p, 'percent'], whole));
    });
  return out;
}
