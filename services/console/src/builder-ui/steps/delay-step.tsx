import type { Json, Path } from '../../builder/draft.js';
import { browserZone } from '../data.js';
import { DurationField, zoneOptions } from '../entry-form.js';
import { pointerOf, useDraft } from '../draft-context.js';
import { Field, RadioGroup, SelectField, TextField } from '../fields.js';

/** A delay: for a duration, or until the next given time of day in a time zone. */
export function DelayStepForm(props: { path: Path }) {
  const { get, set } = useDraft();
  const step = (get(props.path) ?? {}) as Record<string, Json>;
  const mode = step.until !== undefined && step.duration === undefined ? 'until' : 'duration';
  const at = pointerOf(props.path);
  const choose = (next: string) => {
    const { duration: _d, until: _u, ...rest } = step;
    set(
      props.path,
      next === 'until' ? { ...rest, until: { time: '09:00', timezone: browserZone } } : { ...rest, duration: '1d' },
    );
  };
  return (
    <div class="step-form">
      <TextField path={[...props.path, 'name']} label="Step name" optional />
      <RadioGroup
        legend="Wait"
        name="delay"
        at={[at, `${at}/until`]}
        value={mode}
        options={[
          ['duration', 'For a time'],
          ['until', 'Until a time of day'],
        ]}
        onValue={choose}
      />
      {mode === 'duration' ? (
        <DurationField path={[...props.path, 'duration']} label="Wait for" />
      ) : (
        <div class="row">
          <Field path={[...props.path, 'until', 'time']} label="Until (local time)">
            {(control) => (
              <input
                {...control}
                type="time"
                value={String((get([...props.path, 'until', 'time']) as string | undefined) ?? '')}
                onInput={(e) => set([...props.path, 'until', 'time'], e.currentTarget.value)}
              />
            )}
          </Field>
          <SelectField path={[...props.path, 'until', 'timezone']} label="Time zone" options={zoneOptions} />
        </div>
      )}
    </div>
  );
}

/** Names a step; a split's branches and an exit have no other settings on the card. */
export function NameOnlyForm(props: { path: Path }) {
  return (
    <div class="step-form">
      <TextField path={[...props.path, 'name']} label="Step name" optional />
    </div>
  );
}
