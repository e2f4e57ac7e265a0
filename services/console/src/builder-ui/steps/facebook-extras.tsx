import type { Json, Path } from '../../builder/draft.js';
import { PlacePicker } from '../condition-row.js';
import { pointerOf, useDraft } from '../draft-context.js';
import { Field, FieldProblems, RadioGroup, TextField } from '../fields.js';

/** Meta's lookalike sizes: 1 % (closest match) to 20 %. */
const lookalikePercents = Array.from({ length: 20 }, (_, i) => i + 1);

/** A numeric trait sent as each user's LOOKALIKE_VALUE: the audience is then value-based. */
export function ValueTraitField(props: { audiencePath: Path; creating: boolean }) {
  const path = props.creating ? [...props.audiencePath, 'create', 'valueTrait'] : [...props.audiencePath, 'valueTrait'];
  return (
    <TextField
      path={path}
      label="Value trait (optional): makes the audience value-based"
      placeholder="lifetime_value"
      hint="A numeric user trait sent as each user's value; users without one are Not synced"
      optional
    />
  );
}

/** A lookalike of the step's audience: where, and how close a match. */
export function LookalikeFields(props: { path: Path }) {
  const { get, set, idFor } = useDraft();
  const lookalikePath = [...props.path, 'lookalike'];
  const lookalike = get(lookalikePath) as { countries?: Json; ratio?: Json } | undefined;
  const checkboxId = `${idFor(pointerOf(lookalikePath))}-wanted`;
  const ratio = typeof lookalike?.ratio === 'number' ? Math.round(lookalike.ratio * 100) : 1;
  return (
    <fieldset class="field lookalike" data-field={pointerOf(lookalikePath)}>
      <legend>Lookalike audience (optional)</legend>
      <span class="choice">
        <input
          type="checkbox"
          id={checkboxId}
          checked={lookalike !== undefined}
          onChange={(e) => set(lookalikePath, e.currentTarget.checked ? { countries: ['US'], ratio: 0.01 } : undefined)}
        />
        <label for={checkboxId}>Ask Meta for a lookalike once the audience has 100 people</label>
      </span>
      {lookalike !== undefined ? (
        <div class="row">
          <PlacePicker path={[...lookalikePath, 'countries']} field="country" many label="Countries" />
          <Field path={[...lookalikePath, 'ratio']} label="Size">
            {(control) => (
              <select
                {...control}
                value={String(ratio)}
                onChange={(e) => set([...lookalikePath, 'ratio'], Number(e.currentTarget.value) / 100)}
              >
                {lookalikePercents.map((percent) => (
                  <option key={percent} value={String(percent)}>
                    {percent} %{percent === 1 ? ' (closest match)' : percent === 20 ? ' (widest reach)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      ) : null}
      <FieldProblems at={pointerOf(lookalikePath)} />
    </fieldset>
  );
}

/** For a following audience: whether each scheduled run also replaces it whole (Meta's usersreplace). */
export function ResyncModeField(props: { path: Path }) {
  const { get, set } = useDraft();
  const mode = get([...props.path, 'resync']) === 'each_run' ? 'each_run' : 'on_demand';
  return (
    <RadioGroup
      legend="Resync (replace the whole audience with the segment's members)"
      name="resync"
      at={`${pointerOf(props.path)}/resync`}
      value={mode}
      options={[
        ['on_demand', 'Only when asked (the canvas page has a Resync button)'],
        ['each_run', 'After every scheduled run'],
      ]}
      onValue={(value) => set([...props.path, 'resync'], value === 'each_run' ? 'each_run' : undefined)}
    />
  );
}
