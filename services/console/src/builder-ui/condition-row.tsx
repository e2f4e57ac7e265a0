import { useState } from 'preact/hooks';
import type { Json, Path } from '../builder/draft.js';
import {
  listOps,
  parseValue,
  valueForOp,
  valueText,
  valuelessOps,
  valueTypeOf,
  type ValueType,
} from '../builder/codecs.js';
import {
  countryList,
  normalizeCountry,
  normalizeState,
  operators,
  profileFields,
  usStates,
} from '../builder/vocabulary.js';
import { pointerOf, useDraft } from './draft-context.js';
import { Field, FieldProblems } from './fields.js';

export const operatorNames: Record<(typeof operators)[number], string> = {
  eq: 'is',
  neq: 'is not',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  exists: 'is set',
  not_exists: 'is not set',
};

export const fieldNames: Record<(typeof profileFields)[number], string> = {
  age: 'Age',
  gender: 'Gender',
  country: 'Country',
  region: 'Region or US state',
  city: 'City',
  hasEmail: 'Has e-mail',
  hasPhone: 'Has phone',
  'app.name': 'App name',
  'app.version': 'App version',
  'app.build': 'App build',
  'os.name': 'OS name',
  'os.version': 'OS version',
  'device.type': 'Device type',
  'device.model': 'Device model',
  'device.manufacturer': 'Device manufacturer',
  daysSinceFirstSeen: 'Days since first seen',
};

const numberFields = new Set(['age', 'daysSinceFirstSeen']);
const booleanFields = new Set(['hasEmail', 'hasPhone']);
const countries = countryList();
const stateNames = Object.keys(usStates)
  .filter((name) => !name.includes('.'))
  .map((name) => name.replace(/\b\w/g, (c) => c.toUpperCase()));

/** A condition moved to another field: an operator and value that suit it (yes for has-e-mail, countries as a list). */
export function conditionForField(chosen: string, previous: { op?: unknown; value?: Json }): Record<string, Json> {
  const field = chosen === 'traits' ? 'traits.' : chosen;
  if (booleanFields.has(field)) return { field, op: 'eq', value: true };
  if (numberFields.has(field)) return { field, op: 'gte', value: 0 };
  if (field === 'country' || field === 'region') return { field, op: 'in', value: [] };
  const op = typeof previous.op === 'string' ? previous.op : 'eq';
  const value = valueForOp(previous.value, op);
  return value === undefined ? { field, op } : { field, op, value };
}

/** A place as the engine reads it: "Canada" is CA; a US state name is its code. */
function placeCode(field: string, text: string): string | null {
  if (field === 'country') return normalizeCountry(text)?.toUpperCase() ?? null;
  const state = normalizeState(text, 'us');
  return state && state.length === 2 && Object.values(usStates).includes(state) ? state.toUpperCase() : null;
}

function placeLabel(field: string, value: Json): string {
  const text = valueText(value);
  const code = placeCode(field, text);
  if (!code) return text;
  const name =
    field === 'country'
      ? countries.find((c) => c.code === code)?.name
      : stateNames.find((s) => usStates[s.toLowerCase()] === code.toLowerCase());
  return name && name.toLowerCase() !== text.toLowerCase() ? `${name} (${text})` : text;
}

/** Countries and US states from lists, as chips; what is typed is kept as the engine's code when it names a place. */
export function PlacePicker(props: { path: Path; field: 'country' | 'region'; many: boolean; label: string }) {
  const { get, set, idFor } = useDraft();
  const [typed, setTyped] = useState('');
  const value = get(props.path) as Json | undefined;
  const values: Json[] = Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value];
  const at = pointerOf(props.path);
  const id = idFor(at);
  const listId = `${id}-places`;
  const add = () => {
    const text = typed.trim();
    if (!text) return;
    const entry = placeCode(props.field, text) ?? text;
    set(props.path, props.many ? [...values.filter((v) => v !== entry), entry] : entry);
    setTyped('');
  };
  return (
    <div class="field place-picker" data-field={at}>
      <label for={id}>{props.label}</label>
      <ul class="chips" aria-label={`Chosen ${props.field === 'country' ? 'countries' : 'regions'}`}>
        {values.map((v, i) => (
          <li key={`${valueText(v)}-${i}`} class="chip">
            {placeLabel(props.field, v)}
            <button
              type="button"
              class="chip-remove"
              aria-label={`Remove ${valueText(v)}`}
              onClick={() => set(props.path, props.many ? values.filter((_, j) => j !== i) : '')}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <span class="inline">
        <input
          id={id}
          list={listId}
          value={typed}
          placeholder={props.field === 'country' ? 'Type a country' : 'Type a state or region'}
          onInput={(e) => setTyped(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          aria-describedby={`${id}-problems`}
        />
        <button type="button" onClick={add}>
          Add
        </button>
      </span>
      <datalist id={listId}>
        {(props.field === 'country' ? countries.map((c) => c.name) : stateNames).map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <FieldProblems at={at} id={`${id}-problems`} />
    </div>
  );
}

/** The value of a condition: none, a place picker, yes / no, or typed text with its type. */
function ValueEditor(props: { path: Path; field: string; op: string }) {
  const { get, set } = useDraft();
  const value = get(props.path) as Json | undefined;
  const [type, setType] = useState<ValueType>(
    booleanFields.has(props.field) ? 'boolean' : numberFields.has(props.field) ? 'number' : valueTypeOf(value),
  );
  if (valuelessOps.has(props.op)) return null;
  const many = listOps.has(props.op);
  if ((props.field === 'country' || props.field === 'region') && ['eq', 'neq', 'in', 'not_in'].includes(props.op))
    return <PlacePicker path={props.path} field={props.field} many={many} label={many ? 'Values' : 'Value'} />;
  if (type === 'boolean' && !many)
    return (
      <Field path={props.path} label="Value" class="value">
        {(control) => (
          <select
            {...control}
            value={String(value === true)}
            onChange={(e) => set(props.path, e.currentTarget.value === 'true')}
          >
            <option value="true">yes (true)</option>
            <option value="false">no (false)</option>
          </select>
        )}
      </Field>
    );
  const fixedType = booleanFields.has(props.field) || numberFields.has(props.field);
  return (
    <>
      {fixedType ? null : (
        <Field path={[...props.path, '#type']} label="Type" class="value-type">
          {(control) => (
            <select
              {...control}
              value={type}
              onChange={(e) => {
                const next = e.currentTarget.value as ValueType;
                setType(next);
                set(props.path, parseValue(valueText(value), props.op, next));
              }}
            >
              <option value="text">text</option>
              <option value="number">number</option>
              <option value="boolean">true / false</option>
            </select>
          )}
        </Field>
      )}
      <Field path={props.path} label={many ? 'Values, separated by commas' : 'Value'} class="value">
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode={type === 'number' && !many ? 'decimal' : 'text'}
            value={valueText(value)}
            onInput={(e) => set(props.path, parseValue(e.currentTarget.value, props.op, type, value))}
          />
        )}
      </Field>
    </>
  );
}

const opOptions = operators.map((op) => [op, operatorNames[op]] as const);

/** One condition: a user property (`field`) or an event property (`property`), an operator and a value. */
export function ConditionRow(props: {
  path: Path;
  subject: 'user' | 'event';
  onRemove: () => void;
  number: number;
  as?: 'li' | 'div';
}) {
  const Tag = props.as ?? 'li';
  const { get, set } = useDraft();
  const at = pointerOf(props.path);
  const condition = (get(props.path) ?? {}) as { field?: unknown; property?: unknown; op?: unknown; value?: Json };
  const key = props.subject === 'user' ? 'field' : 'property';
  const field = typeof condition[key] === 'string' ? condition[key] : '';
  const op = typeof condition.op === 'string' ? condition.op : 'eq';
  const isTrait = props.subject === 'user' && !(profileFields as readonly string[]).includes(field);
  const setOp = (next: string) => set(props.path, { ...condition, op: next, value: valueForOp(condition.value, next) });
  return (
    <Tag class="condition-row" data-field={at}>
      {props.subject === 'user' ? (
        <>
          <Field path={[...props.path, 'field']} label="User property">
            {(control) => (
              <select
                {...control}
                value={isTrait ? 'traits' : field}
                onChange={(e) => set(props.path, conditionForField(e.currentTarget.value, condition))}
              >
                {profileFields.map((f) => (
                  <option key={f} value={f}>
                    {fieldNames[f]}
                  </option>
                ))}
                <option value="traits">Custom attribute…</option>
              </select>
            )}
          </Field>
          {isTrait ? (
            <Field path={[...props.path, 'field', '#trait']} label="Attribute name">
              {(control) => (
                <input
                  {...control}
                  value={field.replace(/^traits\.?/, '')}
                  placeholder="plan"
                  onInput={(e) => set([...props.path, 'field'], `traits.${e.currentTarget.value}`)}
                />
              )}
            </Field>
          ) : null}
        </>
      ) : (
        <Field path={[...props.path, 'property']} label="Event property">
          {(control) => (
            <input
              {...control}
              value={field}
              placeholder="total"
              onInput={(e) => set([...props.path, 'property'], e.currentTarget.value)}
            />
          )}
        </Field>
      )}
      <Field path={[...props.path, 'op']} label="Operator">
        {(control) => (
          <select {...control} value={op} onChange={(e) => setOp(e.currentTarget.value)}>
            {opOptions.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ValueEditor key={`${field}-${listOps.has(op)}`} path={[...props.path, 'value']} field={field} op={op} />
      <button type="button" class="remove" onClick={props.onRemove} aria-label={`Remove condition ${props.number}`}>
        Remove
      </button>
      <FieldProblems at={at} />
    </Tag>
  );
}

/** A list of conditions with "Add"; removing the last one removes the list, as the language's default is none. */
export function ConditionList(props: { path: Path; subject: 'user' | 'event'; title: string; addLabel: string }) {
  const { get, set } = useDraft();
  const at = pointerOf(props.path);
  const list = get(props.path);
  const items = Array.isArray(list) ? (list as Json[]) : [];
  const blank: Json =
    props.subject === 'user' ? { field: 'country', op: 'in', value: [] } : { property: '', op: 'eq', value: '' };
  return (
    <fieldset class="conditions" data-field={at}>
      <legend>{props.title}</legend>
      <FieldProblems at={at} />
      {items.length > 0 ? (
        <ol class="condition-list">
          {items.map((_, i) => (
            <ConditionRow
              key={i}
              number={i + 1}
              path={[...props.path, i]}
              subject={props.subject}
              onRemove={() => set(props.path, items.length === 1 ? undefined : items.filter((__, j) => j !== i))}
            />
          ))}
        </ol>
      ) : null}
      <button type="button" class="add" onClick={() => set(props.path, [...items, blank])}>
        {props.addLabel}
      </button>
    </fieldset>
  );
}
