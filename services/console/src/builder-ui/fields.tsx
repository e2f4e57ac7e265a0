import type { ComponentChildren } from 'preact';
import type { Path } from '../builder/draft.js';
import { plainMessage } from '../builder/problem-words.js';
import { pointerOf, useDraft } from './draft-context.js';

/** The problems the API names at a field, said where the field is. */
export function FieldProblems(props: { at: string; id?: string }) {
  const { problemsAt } = useDraft();
  const problems = problemsAt(props.at);
  if (problems.length === 0) return null;
  return (
    <ul class="field-problems" id={props.id} data-problems={props.at}>
      {problems.map((p) => (
        <li key={`${p.code}-${p.path}`} data-code={p.code}>
          {plainMessage(p)}
        </li>
      ))}
    </ul>
  );
}

/** What a control needs to say it is invalid and where the reason is. */
export function useFieldControl(path: Path) {
  const { idFor, problemsAt } = useDraft();
  const at = pointerOf(path);
  const id = idFor(at);
  const invalid = problemsAt(at).length > 0;
  return {
    at,
    id,
    problemId: `${id}-problems`,
    controlProps: {
      id,
      'aria-invalid': invalid ? ('true' as const) : undefined,
      'aria-describedby': invalid ? `${id}-problems` : undefined,
    },
  };
}

/** A labelled control with its problems under it; `data-field` is the pointer problems are shown at. */
export function Field(props: {
  path: Path;
  label: string;
  hint?: string | undefined;
  class?: string | undefined;
  children: (control: ReturnType<typeof useFieldControl>['controlProps']) => ComponentChildren;
}) {
  const control = useFieldControl(props.path);
  return (
    <div class={`field ${props.class ?? ''}`} data-field={control.at}>
      <label for={control.id}>{props.label}</label>
      {props.children(control.controlProps)}
      {props.hint ? <span class="hint">{props.hint}</span> : null}
      <FieldProblems at={control.at} id={control.problemId} />
    </div>
  );
}

/** A text input bound to the draft; emptying it removes the key when `optional`. */
export function TextField(props: {
  path: Path;
  label: string;
  hint?: string;
  optional?: boolean;
  placeholder?: string;
  maxLength?: number;
  list?: string;
  class?: string;
}) {
  const { get, set } = useDraft();
  const value = get(props.path);
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const counter = props.maxLength === undefined ? undefined : `${text.length} of ${props.maxLength} characters`;
  return (
    <Field path={props.path} label={props.label} hint={props.hint ?? counter} class={props.class}>
      {(control) => (
        <input
          {...control}
          type="text"
          value={text}
          placeholder={props.placeholder}
          list={props.list}
          onInput={(e) =>
            set(props.path, props.optional && e.currentTarget.value === '' ? undefined : e.currentTarget.value)
          }
        />
      )}
    </Field>
  );
}

/** A whole-number input; emptying it removes the key. */
export function NumberField(props: {
  path: Path;
  label: string;
  hint?: string;
  min?: number;
  max?: number;
  class?: string;
}) {
  const { get, set } = useDraft();
  const value = get(props.path);
  return (
    <Field path={props.path} label={props.label} hint={props.hint} class={props.class}>
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode="numeric"
          min={props.min}
          max={props.max}
          value={typeof value === 'number' || typeof value === 'string' ? String(value) : ''}
          onInput={(e) => {
            const text = e.currentTarget.value;
            const number = Number(text);
            set(props.path, text === '' ? undefined : Number.isFinite(number) ? number : text);
          }}
        />
      )}
    </Field>
  );
}

/** A select bound to the draft. An option value of '' removes the key. */
export function SelectField(props: {
  path: Path;
  label: string;
  options: readonly (readonly [string, string])[];
  hint?: string;
  class?: string;
  onValue?: (value: string) => void;
}) {
  const { get, set } = useDraft();
  const value = get(props.path);
  const current = typeof value === 'string' ? value : '';
  const known = props.options.some(([v]) => v === current);
  return (
    <Field path={props.path} label={props.label} hint={props.hint} class={props.class}>
      {(control) => (
        <select
          {...control}
          value={current}
          onChange={(e) => {
            const chosen = e.currentTarget.value;
            if (props.onValue) props.onValue(chosen);
            else set(props.path, chosen === '' ? undefined : chosen);
          }}
        >
          {known ? null : <option value={current}>{current === '' ? '—' : current}</option>}
          {props.options.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A group of radio buttons, one choice of several, with the group's problems. */
export function RadioGroup(props: {
  legend: string;
  name: string;
  at: string | string[];
  value: string;
  options: readonly (readonly [string, string])[];
  onValue: (value: string) => void;
  disabled?: (value: string) => boolean;
}) {
  const { idFor, problemsAt } = useDraft();
  const pointers = Array.isArray(props.at) ? props.at : [props.at];
  const invalid = pointers.some((p) => problemsAt(p).length > 0);
  const problemId = `${idFor(pointers[0] ?? '')}-group-problems`;
  return (
    <fieldset class="radio-group" data-field={pointers.join(' ')} aria-describedby={invalid ? problemId : undefined}>
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => {
        const id = `${idFor(pointers[0] ?? '')}-${props.name}-${value}`;
        return (
          <span class="choice" key={value}>
            <input
              type="radio"
              id={id}
              name={`${idFor(pointers[0] ?? '')}-${props.name}`}
              value={value}
              checked={props.value === value}
              disabled={props.disabled?.(value) ?? false}
              onChange={() => props.onValue(value)}
            />
            <label for={id}>{label}</label>
          </span>
        );
      })}
      <div id={problemId}>
        {pointers.map((p) => (
          <FieldProblems key={p} at={p} />
        ))}
      </div>
    </fieldset>
  );
}
