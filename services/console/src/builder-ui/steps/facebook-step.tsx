import { useState } from 'preact/hooks';
import { api, describeError } from '../../api.js';
import type { Json, Path } from '../../builder/draft.js';
import { audienceDescriptionMax, identifierKeys, matchKeys } from '../../builder/vocabulary.js';
import { accountFor, useAdAccounts, useMetaList, type Estimate, type MetaAdSet, type MetaAudience } from '../data.js';
import { pointerOf, useDraft } from '../draft-context.js';
import { FieldProblems, RadioGroup, SelectField, TextField } from '../fields.js';
import { LookalikeFields, ResyncModeField, ValueTraitField } from './facebook-extras.js';

export const matchKeyNames: Record<(typeof matchKeys)[number], string> = {
  EMAIL: 'E-mail',
  PHONE: 'Phone',
  FN: 'First name',
  LN: 'Last name',
  FI: 'First initial',
  GEN: 'Gender',
  DOBY: 'Birth year',
  DOBM: 'Birth month',
  DOBD: 'Birth day',
  CT: 'City',
  ST: 'State',
  ZIP: 'ZIP code',
  COUNTRY: 'Country',
  MADID: 'Mobile advertiser id',
  EXTERN_ID: 'External id',
};

/** The account's existing audiences, searched by name; picking one names it by id. */
function AudiencePicker(props: { path: Path; accountId: string | undefined }) {
  const { get, set, idFor } = useDraft();
  const [query, setQuery] = useState('');
  const { items, error, loading } = useMetaList<MetaAudience>(props.accountId, 'audiences');
  const at = pointerOf([...props.path, 'id']);
  const id = idFor(at);
  const chosen = get([...props.path, 'id']);
  const shown = items.filter((a) => (a.name ?? '').toLowerCase().includes(query.trim().toLowerCase())).slice(0, 50);
  return (
    <div class="field audience-picker" data-field={at}>
      <label for={`${id}-search`}>Search the account's audiences by name</label>
      <input id={`${id}-search`} type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {loading ? <p class="hint">Reading the audiences from Meta…</p> : null}
      {error ? <p class="hint">Meta's list could not be read: {describeError(error).join(' ')}</p> : null}
      <fieldset>
        <legend class="visually-hidden">Audience</legend>
        <ul class="pick-list">
          {shown.map((a) => (
            <li key={a.id}>
              <input
                type="radio"
                id={`${id}-${a.id}`}
                name={`${id}-audience`}
                checked={chosen === a.id}
                onChange={() => set([...props.path, 'id'], a.id)}
              />
              <label for={`${id}-${a.id}`}>
                {a.name ?? '(no name)'}{' '}
                <span class="hint">
                  {a.id}
                  {a.approximateCount === null ? '' : ` · about ${a.approximateCount} people`}
                </span>
              </label>
            </li>
          ))}
          {!loading && shown.length === 0 ? <li class="hint">No audience of this account matches.</li> : null}
        </ul>
      </fieldset>
      {typeof chosen === 'string' && !items.some((a) => a.id === chosen) ? <p>Chosen: audience {chosen}</p> : null}
      <FieldProblems at={at} />
    </div>
  );
}

/** How many of the entering users have each identifier key, from Estimate reach. */
function useKeyShares() {
  const { get } = useDraft();
  const [estimate, setEstimate] = useState<Estimate>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const entry = (get(['entry']) ?? {}) as {
    segment?: { segmentId?: unknown };
    inSegment?: unknown;
    trigger?: { event?: unknown };
  };
  const segmentId =
    typeof entry.segment?.segmentId === 'string' && entry.segment.segmentId
      ? entry.segment.segmentId
      : typeof entry.inSegment === 'string'
        ? entry.inSegment
        : undefined;
  const event = typeof entry.trigger?.event === 'string' && entry.trigger.event ? entry.trigger.event : undefined;
  const basis = segmentId ? 'the segment’s members' : event ? `users who did ${event} in the last 30 days` : undefined;
  const run = () => {
    setBusy(true);
    setFailure(undefined);
    const request = segmentId
      ? api<Estimate>('POST', `/v1/segments/${segmentId}/estimate`, {})
      : api<Estimate>('POST', '/v1/segments/estimate', {
          name: 'Match-key coverage',
          conditions: { behaviour: { did: true, event, window: { lastDays: 30 } } },
        });
    request
      .then(setEstimate)
      .catch((error: unknown) => setFailure(describeError(error).join(' ')))
      .finally(() => setBusy(false));
  };
  return { estimate, failure, busy, basis, run };
}

const percent = (part: number, whole: number) => (whole === 0 ? '0 %' : `${Math.round((100 * part) / whole)} %`);

/** Match keys as checkboxes, each with the share of users who have it once estimated. */
function MatchKeys(props: { path: Path }) {
  const { get, set, idFor } = useDraft();
  const shares = useKeyShares();
  const at = pointerOf([...props.path, 'matchKeys']);
  const list = get([...props.path, 'matchKeys']);
  const chosen = Array.isArray(list) ? (list as string[]) : [];
  const toggle = (key: string, on: boolean) =>
    set(
      [...props.path, 'matchKeys'],
      on
        ? [
            ...chosen.filter((k) => !matchKeys.includes(k as never)),
            ...matchKeys.filter((k) => k === key || chosen.includes(k)),
          ]
        : chosen.filter((k) => k !== key),
    );
  const estimate = shares.estimate;
  return (
    <fieldset class="field match-keys" data-field={at}>
      <legend>Match users by</legend>
      <ul class="key-list">
        {matchKeys.map((key) => {
          const id = `${idFor(at)}-${key}`;
          const count = estimate?.byKey[key];
          return (
            <li key={key}>
              <input
                type="checkbox"
                id={id}
                checked={chosen.includes(key)}
                onChange={(e) => toggle(key, e.currentTarget.checked)}
              />
              <label for={id}>
                {matchKeyNames[key]} <span class="hint">{key}</span>
                {count !== undefined && estimate ? (
                  <span class="share" data-share={key}>
                    {' '}
                    {percent(count, estimate.members)} have it ({count} of {estimate.members})
                  </span>
                ) : null}
              </label>
            </li>
          );
        })}
      </ul>
      <p class="hint">At least one of {identifierKeys.join(', ')} identifies a person.</p>
      {shares.basis ? (
        <button type="button" onClick={shares.run} disabled={shares.busy}>
          {shares.busy ? 'Estimating…' : `Estimate coverage among ${shares.basis}`}
        </button>
      ) : null}
      {shares.failure ? <p class="hint">{shares.failure}</p> : null}
      <FieldProblems at={at} />
    </fieldset>
  );
}

/** The account's ad sets whose targeting should include the audience (added at launch). */
function AdSets(props: { path: Path; accountId: string | undefined }) {
  const { get, set, idFor } = useDraft();
  const { items, error, loading } = useMetaList<MetaAdSet>(props.accountId, 'ad-sets');
  const at = pointerOf([...props.path, 'adSetIds']);
  const list = get([...props.path, 'adSetIds']);
  const chosen = Array.isArray(list) ? (list as string[]) : [];
  const all = [
    ...items.map((a) => ({ id: a.id, name: a.name, status: a.status })),
    ...chosen.filter((c) => !items.some((a) => a.id === c)).map((c) => ({ id: c, name: `Ad set ${c}`, status: null })),
  ];
  return (
    <fieldset class="field ad-sets" data-field={at}>
      <legend>Link the audience to ad sets (optional)</legend>
      {loading ? <p class="hint">Reading the ad sets from Meta…</p> : null}
      {error ? <p class="hint">Meta's list could not be read: {describeError(error).join(' ')}</p> : null}
      {!loading && all.length === 0 ? <p class="hint">The account has no ad sets.</p> : null}
      <ul class="pick-list">
        {all.map((a) => {
          const id = `${idFor(at)}-${a.id}`;
          return (
            <li key={a.id}>
              <input
                type="checkbox"
                id={id}
                checked={chosen.includes(a.id)}
                onChange={(e) => {
                  const next = e.currentTarget.checked ? [...chosen, a.id] : chosen.filter((c) => c !== a.id);
                  set([...props.path, 'adSetIds'], next.length === 0 ? undefined : next);
                }}
              />
              <label for={id}>
                {a.name}{' '}
                <span class="hint">
                  {a.id}
                  {a.status ? ` · ${a.status.toLowerCase()}` : ''}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      <FieldProblems at={at} />
    </fieldset>
  );
}

/** The Facebook step: account, audience (new, existing, another step's), add / remove / follow, keys, ad sets. */
export function FacebookStepForm(props: { path: Path }) {
  const { get, set, root } = useDraft();
  const accounts = useAdAccounts();
  const step = (get(props.path) ?? {}) as Record<string, Json>;
  const audience = (step.audience ?? {}) as Record<string, Json>;
  const mode = 'fromStep' in audience ? 'fromStep' : 'id' in audience ? 'id' : 'create';
  const account = accountFor(accounts, step.adAccountId);
  const steps = ((root as { steps?: unknown }).steps ?? []) as { id: string; kind: string; name?: string }[];
  const others = Array.isArray(steps) ? steps.filter((s) => s.kind === 'facebook_audience' && s.id !== step.id) : [];
  const segmentEntry = Boolean(get(['entry', 'segment']) ?? false);
  const action = step.followSegment === true ? 'follow' : step.action === 'remove' ? 'remove' : 'add';
  const at = pointerOf(props.path);
  const created = audience.create as Record<string, Json> | undefined;
  const hasValueTrait = audience.valueTrait !== undefined || created?.valueTrait !== undefined;
  const setAudience = (next: string) =>
    set(
      [...props.path, 'audience'],
      next === 'create' ? { create: { name: '' } } : next === 'id' ? { id: '' } : { fromStep: others[0]?.id ?? '' },
    );
  const setAction = (next: string) => {
    const { followSegment: _f, adSetIds, lookalike, resync, ...rest } = step;
    set(props.path, {
      ...rest,
      action: next === 'remove' ? 'remove' : 'add',
      ...(next === 'follow' ? { followSegment: true } : {}),
      ...(next === 'follow' && resync !== undefined ? { resync } : {}),
      ...(next !== 'remove' && adSetIds !== undefined ? { adSetIds } : {}),
      ...(next !== 'remove' && lookalike !== undefined ? { lookalike } : {}),
    });
  };
  const defaultAccount = accounts.find((a) => a.isDefault);
  const accountOptions = [
    ['', `Workspace default${defaultAccount ? ` (${defaultAccount.name})` : ''}`] as const,
    ...accounts.map((a) => [a.adAccountId, `${a.name} (${a.adAccountId})`] as const),
  ];
  return (
    <div class="step-form">
      <TextField path={[...props.path, 'name']} label="Step name" optional />
      <SelectField path={[...props.path, 'adAccountId']} label="Ad account" options={accountOptions} />
      <RadioGroup
        legend="Audience"
        name="audience"
        at={[`${at}/audience`]}
        value={mode}
        options={[
          ['create', 'A new audience'],
          ['id', 'An existing audience of the account'],
          ...(others.length > 0 ? ([['fromStep', 'The audience of another step']] as const) : []),
        ]}
        onValue={setAudience}
      />
      {mode === 'create' ? (
        <div class="row">
          <TextField
            path={[...props.path, 'audience', 'create', 'name']}
            label="New audience name"
            placeholder="Abandoned_Cart_30_Days"
          />
          <TextField
            path={[...props.path, 'audience', 'create', 'description']}
            label="Description (optional)"
            optional
            maxLength={audienceDescriptionMax}
            class="wide"
          />
        </div>
      ) : null}
      {mode === 'id' ? <AudiencePicker path={[...props.path, 'audience']} accountId={account?.id} /> : null}
      {mode === 'fromStep' ? (
        <SelectField
          path={[...props.path, 'audience', 'fromStep']}
          label="Use the audience of step"
          options={others.map((s) => [s.id, s.name ?? s.id] as const)}
        />
      ) : null}
      <RadioGroup
        legend="Action"
        name="action"
        at={[`${at}/action`, `${at}/followSegment`]}
        value={action}
        options={[
          ['add', 'Add users to the audience'],
          ['remove', 'Remove users from the audience'],
          ['follow', 'Keep the audience equal to the segment (follow)'],
        ]}
        disabled={(value) => value === 'follow' && !segmentEntry && action !== 'follow'}
        onValue={setAction}
      />
      {action === 'follow' ? <ResyncModeField path={props.path} /> : null}
      {mode !== 'fromStep' && (action !== 'remove' || hasValueTrait) ? (
        <ValueTraitField audiencePath={[...props.path, 'audience']} creating={mode === 'create'} />
      ) : null}
      <MatchKeys path={props.path} />
      {action !== 'remove' || step.lookalike !== undefined ? <LookalikeFields path={props.path} /> : null}
      {action !== 'remove' || Array.isArray(step.adSetIds) ? (
        <AdSets path={props.path} accountId={account?.id} />
      ) : null}
    </div>
  );
}
