import type { Json, Path } from '../builder/draft.js';
import {
  canNestGroup,
  groupOf,
  newRow,
  removeRow,
  rowKindNames,
  rowKindOf,
  setMode,
  addRow,
  type RowKind,
} from '../builder/segment-draft.js';
import { behaviourCountOps, identifierKeys, reachabilityKinds } from '../builder/vocabulary.js';
import { ConditionList, ConditionRow } from './condition-row.js';
import { pointerOf, useDraft } from './draft-context.js';
import { MomentField } from './entry-form.js';
import { Field, FieldProblems, NumberField, SelectField, TextField } from './fields.js';
import { matchKeyNames } from './steps/facebook-step.js';

const countNames: Record<(typeof behaviourCountOps)[number], string> = {
  gte: 'at least',
  eq: 'exactly',
  lte: 'at most',
};
const reachabilityNames: Record<(typeof reachabilityKinds)[number], string> = {
  has_email: 'has an e-mail address',
  has_phone: 'has a phone number',
  has_match_key: 'has a usable match key',
  email_unsubscribed: 'unsubscribed from e-mail',
  sms_unsubscribed: 'unsubscribed from SMS',
};

/** "did / did not do <event> at least N times in the last N days (or between dates, or ever), where …". */
function BehaviourRow(props: { path: Path }) {
  const { get, set } = useDraft();
  const at = [...props.path, 'behaviour'];
  const behaviour = (get(at) ?? {}) as {
    did?: unknown;
    count?: { op?: unknown; value?: unknown };
    window?: Record<string, unknown>;
  };
  const window = behaviour.window ?? {};
  const windowKind = 'from' in window || 'to' in window ? 'between' : 'ever' in window ? 'ever' : 'last';
  const count = behaviour.count ?? {};
  const countOp = typeof count.op === 'string' ? count.op : 'gte';
  const setCount = (op: string, value: number | undefined) =>
    set(
      [...at, 'count'],
      op === 'gte' && (value ?? 1) === 1 && behaviour.count === undefined ? undefined : { op, value: value ?? 1 },
    );
  return (
    <div class="behaviour-row">
      <div class="row">
        <Field path={[...at, 'did']} label="User">
          {(control) => (
            <select
              {...control}
              value={behaviour.did === false ? 'false' : 'true'}
              onChange={(e) => set([...at, 'did'], e.currentTarget.value === 'true')}
            >
              <option value="true">did</option>
              <option value="false">did not do</option>
            </select>
          )}
        </Field>
        <TextField path={[...at, 'event']} label="Event" placeholder="added_to_cart" />
        {behaviour.did === false ? null : (
          <>
            <Field path={[...at, 'count', 'op']} label="How often">
              {(control) => (
                <select
                  {...control}
                  value={countOp}
                  onChange={(e) => setCount(e.currentTarget.value, typeof count.value === 'number' ? count.value : 1)}
                >
                  {behaviourCountOps.map((op) => (
                    <option key={op} value={op}>
                      {countNames[op]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field path={[...at, 'count', 'value']} label="Times">
              {(control) => (
                <input
                  {...control}
                  type="number"
                  min={0}
                  value={typeof count.value === 'number' ? String(count.value) : '1'}
                  onInput={(e) =>
                    setCount(countOp, e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))
                  }
                />
              )}
            </Field>
          </>
        )}
        <Field path={[...at, 'window']} label="When">
          {(control) => (
            <select
              {...control}
              value={windowKind}
              onChange={(e) => {
                const kind = e.currentTarget.value;
                const day = 86_400_000;
                set(
                  [...at, 'window'],
                  kind === 'last'
                    ? { lastDays: 30 }
                    : kind === 'ever'
                      ? { ever: true }
                      : { from: new Date(Date.now() - 30 * day).toISOString(), to: new Date().toISOString() },
                );
              }}
            >
              <option value="last">in the last … days</option>
              <option value="between">between two dates</option>
              <option value="ever">ever</option>
            </select>
          )}
        </Field>
        {windowKind === 'last' ? (
          <NumberField path={[...at, 'window', 'lastDays']} label="Days" min={1} max={3650} />
        ) : null}
        {windowKind === 'between' ? (
          <>
            <MomentField path={[...at, 'window', 'from']} label="From" />
            <MomentField path={[...at, 'window', 'to']} label="To" />
          </>
        ) : null}
      </div>
      <ConditionList
        path={[...at, 'where']}
        subject="event"
        title="Where the event's properties"
        addLabel="Add an event property condition"
      />
    </div>
  );
}

function ReachabilityRow(props: { path: Path }) {
  const { get, set, idFor } = useDraft();
  const at = [...props.path, 'reachability'];
  const row = (get(at) ?? {}) as { reachable?: unknown; is?: unknown; matchKeys?: unknown };
  const keys = Array.isArray(row.matchKeys) ? (row.matchKeys as string[]) : [];
  return (
    <div class="row">
      <Field path={[...at, 'is']} label="User">
        {(control) => (
          <select
            {...control}
            value={row.is === false ? 'false' : 'true'}
            onChange={(e) => set([...at, 'is'], e.currentTarget.value === 'true' ? undefined : false)}
          >
            <option value="true">is / has</option>
            <option value="false">is not / has not</option>
          </select>
        )}
      </Field>
      <SelectField
        path={[...at, 'reachable']}
        label="Reachability"
        options={reachabilityKinds.map((k) => [k, reachabilityNames[k]] as const)}
      />
      {row.reachable === 'has_match_key' ? (
        <fieldset class="field" data-field={pointerOf([...at, 'matchKeys'])}>
          <legend>Keys that count (none chosen: all four)</legend>
          {identifierKeys.map((key) => {
            const id = `${idFor(pointerOf([...at, 'matchKeys']))}-${key}`;
            return (
              <span class="choice" key={key}>
                <input
                  type="checkbox"
                  id={id}
                  checked={keys.includes(key)}
                  onChange={(e) => {
                    const next = e.currentTarget.checked ? [...keys, key] : keys.filter((k) => k !== key);
                    set([...at, 'matchKeys'], next.length === 0 ? undefined : next);
                  }}
                />
                <label for={id}>{matchKeyNames[key]}</label>
              </span>
            );
          })}
          <FieldProblems at={pointerOf([...at, 'matchKeys'])} />
        </fieldset>
      ) : null}
    </div>
  );
}

/** One row of a group: its kind's form, and Remove. */
function SegmentRow(props: { path: Path; number: number; onRemove: () => void }) {
  const { get } = useDraft();
  const node = get(props.path);
  const kind = rowKindOf(node);
  const at = pointerOf(props.path);
  if (kind === 'group') return <Group path={props.path} onRemove={props.onRemove} />;
  if (kind === 'profile')
    return (
      <li class="segment-row" data-field={at}>
        <p class="row-kind">{rowKindNames.profile}</p>
        <ConditionRow
          as="div"
          path={[...props.path, 'profile']}
          subject="user"
          number={props.number}
          onRemove={props.onRemove}
        />
        <FieldProblems at={at} />
      </li>
    );
  return (
    <li class="segment-row" data-field={at}>
      <div class="row-head">
        <p class="row-kind">{kind ? rowKindNames[kind] : 'A condition the builder does not know'}</p>
        <button type="button" class="remove" onClick={props.onRemove} aria-label={`Remove condition ${props.number}`}>
          Remove
        </button>
      </div>
      {kind === 'behaviour' ? (
        <BehaviourRow path={props.path} />
      ) : kind === 'reachability' ? (
        <ReachabilityRow path={props.path} />
      ) : (
        <p>Edit it in the JSON tab.</p>
      )}
      <FieldProblems at={at} />
    </li>
  );
}

const addable: RowKind[] = ['behaviour', 'profile', 'reachability', 'group'];

/** All / any of rows, nested up to the language's depth. */
export function Group(props: { path: Path; onRemove?: () => void }) {
  const { get, root, replace, idFor } = useDraft();
  const group = groupOf(get(props.path));
  const at = pointerOf(props.path);
  const modeId = `${idFor(at)}-mode`;
  const items = group?.items ?? [];
  const mode = group?.mode ?? 'all';
  const rowsPath = [...props.path, mode];
  return (
    <li class="segment-group" data-field={`${at} ${at}/${mode}`}>
      <div class="row">
        <label for={modeId}>Users who match</label>
        <select
          id={modeId}
          value={mode}
          onChange={(e) => replace(setMode(root, props.path, e.currentTarget.value as 'all' | 'any'))}
        >
          <option value="all">all of these</option>
          <option value="any">any of these</option>
        </select>
        {props.onRemove ? (
          <button type="button" class="remove" onClick={props.onRemove}>
            Remove this group
          </button>
        ) : null}
      </div>
      <FieldProblems at={at} />
      <FieldProblems at={`${at}/${mode}`} />
      <ul class="segment-rows">
        {items.map((_, i) => (
          <SegmentRow
            key={i}
            number={i + 1}
            path={[...rowsPath, i]}
            onRemove={() => replace(removeRow(root, [...rowsPath, i]))}
          />
        ))}
      </ul>
      <div class="actions">
        {addable
          .filter((kind) => kind !== 'group' || canNestGroup(props.path))
          .map((kind) => (
            <button
              key={kind}
              type="button"
              class="add"
              onClick={() => replace(addRow(root, props.path, newRow(kind) as Json as never))}
            >
              + {rowKindNames[kind]}
            </button>
          ))}
      </div>
    </li>
  );
}
