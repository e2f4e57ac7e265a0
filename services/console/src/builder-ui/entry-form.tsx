import type { Json, Path } from '../builder/draft.js';
import { isoToLocalInput, localInputToIso, splitDuration, joinDuration, durationUnits } from '../builder/codecs.js';
import { weekdays } from '../builder/vocabulary.js';
import { ConditionList } from './condition-row.js';
import { browserZone, timeZones, useSegments } from './data.js';
import { pointerOf, useDraft } from './draft-context.js';
import { Field, FieldProblems, NumberField, RadioGroup, SelectField, TextField } from './fields.js';

/** A duration as an amount and a unit ("10" seconds is "10s"). */
export function DurationField(props: { path: Path; label: string }) {
  const { get, set, idFor, problemsAt } = useDraft();
  const at = pointerOf(props.path);
  const id = idFor(at);
  const { amount, unit } = splitDuration(get(props.path));
  const invalid = problemsAt(at).length > 0;
  return (
    <fieldset class="field duration" data-field={at}>
      <legend>{props.label}</legend>
      <span class="inline">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          size={6}
          aria-label={`${props.label}: amount`}
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={invalid ? `${id}-problems` : undefined}
          value={amount}
          onInput={(e) => set(props.path, joinDuration(e.currentTarget.value, unit))}
        />
        <select
          aria-label={`${props.label}: unit`}
          value={unit}
          onChange={(e) => set(props.path, joinDuration(amount, e.currentTarget.value))}
        >
          {durationUnits.map(([u, name]) => (
            <option key={u} value={u}>
              {name}
            </option>
          ))}
        </select>
      </span>
      <FieldProblems at={at} id={`${id}-problems`} />
    </fieldset>
  );
}

/** A moment picked in this browser's time zone, stored as an ISO time; emptying it removes the key. */
export function MomentField(props: { path: Path; label: string }) {
  const { get, set } = useDraft();
  return (
    <Field path={props.path} label={props.label} hint={`your time zone, ${browserZone}`}>
      {(control) => (
        <input
          {...control}
          type="datetime-local"
          value={isoToLocalInput(get(props.path))}
          onInput={(e) => set(props.path, localInputToIso(e.currentTarget.value))}
        />
      )}
    </Field>
  );
}

export const zoneOptions = timeZones.map((z) => [z, z.replace(/_/g, ' ')] as const);
const weekdayNames: Record<(typeof weekdays)[number], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** When a segment's members enter: once, on dates, or recurring at a local time of a time zone. */
export function RunsForm(props: { path: Path }) {
  const { get, set } = useDraft();
  const runs = (get(props.path) ?? {}) as { kind?: unknown; at?: unknown; every?: unknown; daysOfWeek?: unknown };
  const at = pointerOf(props.path);
  const kind = typeof runs.kind === 'string' ? runs.kind : '';
  const choose = (next: string) =>
    set(
      props.path,
      next === 'once'
        ? { kind: 'once' }
        : next === 'dates'
          ? { kind: 'dates', at: [new Date(Date.now() + 86_400_000).toISOString()] }
          : { kind: 'recurring', every: 'week', daysOfWeek: ['mon'], time: '09:00', timeZone: browserZone },
    );
  const dates = Array.isArray(runs.at) ? (runs.at as Json[]) : [];
  const days = Array.isArray(runs.daysOfWeek) ? (runs.daysOfWeek as string[]) : [];
  const every = typeof runs.every === 'string' ? runs.every : '';
  return (
    <div class="runs" data-field={at}>
      <RadioGroup
        legend="Runs"
        name="runs"
        at={[at, `${at}/kind`]}
        value={kind}
        options={[
          ['once', 'Once'],
          ['dates', 'On dates'],
          ['recurring', 'Recurring'],
        ]}
        onValue={choose}
      />
      {kind === 'once' ? <MomentField path={[...props.path, 'at']} label="At (empty: at launch)" /> : null}
      {kind === 'dates' ? (
        <fieldset class="field" data-field={`${at}/at`}>
          <legend>Dates</legend>
          <FieldProblems at={`${at}/at`} />
          {dates.map((_, i) => (
            <div class="inline" key={i}>
              <MomentField path={[...props.path, 'at', i]} label={`Date ${i + 1}`} />
              <button
                type="button"
                class="remove"
                onClick={() =>
                  set(
                    [...props.path, 'at'],
                    dates.filter((__, j) => j !== i),
                  )
                }
              >
                Remove date {i + 1}
              </button>
            </div>
          ))}
          <button
            type="button"
            class="add"
            onClick={() => set([...props.path, 'at'], [...dates, new Date(Date.now() + 86_400_000).toISOString()])}
          >
            Add a date
          </button>
        </fieldset>
      ) : null}
      {kind === 'recurring' ? (
        <div class="row">
          <SelectField
            path={[...props.path, 'every']}
            label="Every"
            options={[
              ['day', 'day'],
              ['week', 'week'],
              ['month', 'month'],
            ]}
            onValue={(value) => {
              const { daysOfWeek: _d, dayOfMonth: _m, ...rest } = get(props.path) as Record<string, Json>;
              set(props.path, {
                ...rest,
                every: value,
                ...(value === 'week' ? { daysOfWeek: ['mon'] } : value === 'month' ? { dayOfMonth: 1 } : {}),
              });
            }}
          />
          {every === 'week' ? (
            <fieldset class="field weekdays" data-field={`${at}/daysOfWeek`}>
              <legend>On</legend>
              {weekdays.map((d) => (
                <span class="choice" key={d}>
                  <input
                    type="checkbox"
                    id={`runs-${d}`}
                    checked={days.includes(d)}
                    onChange={(e) =>
                      set(
                        [...props.path, 'daysOfWeek'],
                        e.currentTarget.checked
                          ? weekdays.filter((w) => w === d || days.includes(w))
                          : days.filter((w) => w !== d),
                      )
                    }
                  />
                  <label for={`runs-${d}`}>{weekdayNames[d]}</label>
                </span>
              ))}
              <FieldProblems at={`${at}/daysOfWeek`} />
            </fieldset>
          ) : null}
          {every === 'month' ? (
            <NumberField path={[...props.path, 'dayOfMonth']} label="Day of the month" min={1} max={31} />
          ) : null}
          <Field path={[...props.path, 'time']} label="At (local time)">
            {(control) => (
              <input
                {...control}
                type="time"
                value={String((get([...props.path, 'time']) as string | undefined) ?? '')}
                onInput={(e) => set([...props.path, 'time'], e.currentTarget.value)}
              />
            )}
          </Field>
          <SelectField path={[...props.path, 'timeZone']} label="Time zone" options={zoneOptions} />
          <MomentField path={[...props.path, 'endAt']} label="No runs after (optional)" />
        </div>
      ) : null}
    </div>
  );
}

/** Who enters and how often: CleverTap's "Who" and Braze's entry schedule and controls. */
export function EntryForm(props: { sections?: 'all' | 'who' | 'when' }) {
  const { get, set } = useDraft();
  const segments = useSegments();
  const entry = (get(['entry']) ?? {}) as Record<string, Json>;
  const kind =
    entry.segment !== undefined && entry.trigger === undefined
      ? 'segment'
      : entry.trigger !== undefined
        ? 'trigger'
        : '';
  const choose = (next: string) => {
    const { trigger: _t, segment: _s, inSegment: _i, ...rest } = entry;
    set(
      ['entry'],
      next === 'trigger'
        ? { trigger: { event: '' }, ...rest }
        : { segment: { segmentId: '', runs: { kind: 'once' } }, ...rest },
    );
  };
  const segmentOptions = segments.map((s) => [s.id, s.name] as const);
  const sections = props.sections ?? 'all';
  const reentry = (entry.reentry ?? {}) as { policy?: unknown };
  return (
    <div class="entry-form" data-field="/entry">
      <FieldProblems at="/entry" />
      {sections !== 'when' ? (
        <>
          <RadioGroup
            legend="Users enter"
            name="entry-kind"
            at={['/entry/trigger', '/entry/segment']}
            value={kind}
            options={[
              ['trigger', 'When they do an event (live behaviour)'],
              ['segment', 'As members of a segment, on a schedule (past behaviour)'],
            ]}
            onValue={choose}
          />
          {kind === 'trigger' ? (
            <div class="row">
              <TextField path={['entry', 'trigger', 'event']} label="Event" placeholder="added_to_cart" />
              <SelectField
                path={['entry', 'inSegment']}
                label="Only members of segment"
                options={[['', 'Anyone (no segment)'], ...segmentOptions]}
              />
            </div>
          ) : null}
          {kind === 'trigger' ? (
            <ConditionList
              path={['entry', 'trigger', 'conditions']}
              subject="event"
              title="Event properties"
              addLabel="Add an event property condition"
            />
          ) : null}
          {kind === 'segment' ? (
            <SelectField
              path={['entry', 'segment', 'segmentId']}
              label="Segment"
              options={[['', 'Choose a segment'], ...segmentOptions]}
            />
          ) : null}
          <ConditionList
            path={['entry', 'filters']}
            subject="user"
            title="User properties (all must hold)"
            addLabel="Add a user property filter"
          />
        </>
      ) : null}
      {sections !== 'who' && kind === 'segment' ? <RunsForm path={['entry', 'segment', 'runs']} /> : null}
      {sections !== 'who' && kind === 'trigger' ? (
        <div class="row">
          <MomentField path={['entry', 'schedule', 'startAt']} label="Start entering (optional)" />
          <MomentField path={['entry', 'schedule', 'endAt']} label="Stop entering (optional)" />
        </div>
      ) : null}
      {sections !== 'when' ? (
        <div class="row">
          <RadioGroup
            legend="Re-entry"
            name="reentry"
            at={['/entry/reentry']}
            value={reentry.policy === 'after_cooldown' ? 'after_cooldown' : 'never'}
            options={[
              ['never', 'Never again'],
              ['after_cooldown', 'After a cooldown'],
            ]}
            onValue={(value) =>
              set(
                ['entry', 'reentry'],
                value === 'never' ? { policy: 'never' } : { policy: 'after_cooldown', cooldown: '7d' },
              )
            }
          />
          {reentry.policy === 'after_cooldown' ? (
            <DurationField path={['entry', 'reentry', 'cooldown']} label="Cooldown" />
          ) : null}
          <NumberField
            path={['entry', 'controlGroupPercent']}
            label="Control group (%)"
            min={0}
            max={100}
            hint="held out, never proceed"
          />
          <NumberField path={['entry', 'targetCap']} label="Target cap (users)" min={1} hint="empty: no cap" />
        </div>
      ) : null}
    </div>
  );
}

/** Braze's exit criteria and conversion goal. */
export function GoalsForm() {
  const { get, set } = useDraft();
  const exits = (Array.isArray(get(['exitCriteria'])) ? get(['exitCriteria']) : []) as Json[];
  const goal = get(['conversionGoal']);
  return (
    <div class="goals-form">
      <fieldset data-field="/exitCriteria">
        <legend>Exit when the user does</legend>
        <FieldProblems at="/exitCriteria" />
        {exits.map((_, i) => (
          <div class="exit-criterion" data-field={`/exitCriteria/${i}`} key={i}>
            <div class="row">
              <TextField path={['exitCriteria', i, 'event']} label={`Exit event ${i + 1}`} placeholder="purchased" />
              <button
                type="button"
                class="remove"
                onClick={() => set(['exitCriteria'], exits.length === 1 ? undefined : exits.filter((__, j) => j !== i))}
              >
                Remove exit event {i + 1}
              </button>
            </div>
            <ConditionList
              path={['exitCriteria', i, 'conditions']}
              subject="event"
              title="With event properties"
              addLabel="Add a property condition"
            />
            <FieldProblems at={`/exitCriteria/${i}`} />
          </div>
        ))}
        <button type="button" class="add" onClick={() => set(['exitCriteria'], [...exits, { event: '' }])}>
          Add an exit event
        </button>
      </fieldset>
      <fieldset data-field="/conversionGoal">
        <legend>Conversion goal</legend>
        <FieldProblems at="/conversionGoal" />
        {goal === undefined ? (
          <button type="button" class="add" onClick={() => set(['conversionGoal'], { event: '', within: '3d' })}>
            Add a conversion goal
          </button>
        ) : (
          <>
            <div class="row">
              <TextField path={['conversionGoal', 'event']} label="Goal event" placeholder="purchased" />
              <DurationField path={['conversionGoal', 'within']} label="Within" />
              <button type="button" class="remove" onClick={() => set(['conversionGoal'], undefined)}>
                Remove the goal
              </button>
            </div>
            <ConditionList
              path={['conversionGoal', 'conditions']}
              subject="event"
              title="With event properties"
              addLabel="Add a property condition"
            />
          </>
        )}
      </fieldset>
    </div>
  );
}
