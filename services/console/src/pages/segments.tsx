import { useState } from 'preact/hooks';
import { useEffect } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { DraftProvider } from '../builder-ui/draft-context.js';
import { forgetCached, type Estimate } from '../builder-ui/data.js';
import { FieldProblems, TextField } from '../builder-ui/fields.js';
import { Group } from '../builder-ui/segment-rows.js';
import { Tabs } from '../builder-ui/tabs.js';
import { useValidation } from '../builder-ui/validation.js';
import { formHomes, problemsByHome } from '../builder/problem-home.js';
import { groupOf } from '../builder/segment-draft.js';
import { matchKeyNames } from '../builder-ui/steps/facebook-step.js';
import { TableHead } from './form-parts.js';
import { Errors } from './sign-in.js';

interface Segment {
  id: string;
  name: string;
  description: string | null;
  conditions: unknown;
  updatedAt: string;
}

/** A new segment: a name to give and one group to fill. */
const emptySegment = { name: 'Untitled segment', conditions: { all: [] } };
const segmentText = (segment: unknown) => JSON.stringify(segment, null, 2);

/** Members, the 95 % range and reach per match key, as Estimate reach answered. */
export function EstimateView(props: { estimate: Estimate }) {
  const { estimate } = props;
  const share = (n: number) => (estimate.members === 0 ? '' : ` (${Math.round((100 * n) / estimate.members)} %)`);
  return (
    <dl class="estimate" data-testid="estimate">
      <dt>Members</dt>
      <dd>
        {estimate.members} (
        {estimate.exact ? 'exact' : `95 % between ${estimate.membersRange.low} and ${estimate.membersRange.high}`})
      </dd>
      <dt>Reachable on Facebook</dt>
      <dd>
        {estimate.matchableOnFacebook}
        {share(estimate.matchableOnFacebook)}
      </dd>
      {Object.entries(estimate.byKey).map(([key, count]) => (
        <>
          <dt key={`${key}-t`}>{matchKeyNames[key as keyof typeof matchKeyNames] ?? key}</dt>
          <dd key={`${key}-d`} data-key={key}>
            {count}
            {share(count)}
          </dd>
        </>
      ))}
    </dl>
  );
}

/** CleverTap's segment builder: condition rows in any / all groups, Estimate reach, and the JSON as an advanced tab. */
export function Segments() {
  const [segments, setSegments] = useState<Segment[]>([]);
  const [text, setText] = useState(segmentText(emptySegment));
  const [editing, setEditing] = useState<string>();
  const [tab, setTab] = useState('builder');
  const [estimate, setEstimate] = useState<Estimate>();
  const [errors, setErrors] = useState<string[]>([]);
  const load = () =>
    api<{ data: Segment[] }>('GET', '/v1/segments?limit=100')
      .then((page) => setSegments(page.data))
      .catch((error: unknown) => setErrors(describeError(error)));
  useEffect(() => void load(), []);
  const { problems, checking, errors: checkErrors } = useValidation(text, '/v1/segments/validate');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const buildable =
    typeof parsed === 'object' && parsed !== null && groupOf((parsed as { conditions?: unknown }).conditions) !== null;
  const run = (work: () => Promise<unknown>) => {
    setErrors([]);
    work().catch((error: unknown) => setErrors(describeError(error)));
  };
  const ready = !checking && problems.length === 0;
  const change = (next: unknown) => {
    setText(segmentText(next));
    setEstimate(undefined);
  };
  const save = () =>
    run(async () => {
      await (editing ? api('PUT', `/v1/segments/${editing}`, parsed) : api('POST', '/v1/segments', parsed));
      forgetCached('/v1/segments');
      setEditing(undefined);
      setText(segmentText(emptySegment));
      setEstimate(undefined);
      await load();
    });
  return (
    <section aria-labelledby="segments-title" class="builder">
      <h1 id="segments-title">Segments</h1>
      <Errors messages={[...errors, ...checkErrors]} />
      <table>
        <caption class="visually-hidden">Segments</caption>
        <TableHead columns={['Name', 'Updated', 'Actions']} />
        <tbody>
          {segments.length === 0 ? (
            <tr>
              <td colSpan={3}>No segments yet: build the first one below.</td>
            </tr>
          ) : null}
          {segments.map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td>{new Date(s.updatedAt).toLocaleString()}</td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    setEditing(s.id);
                    setEstimate(undefined);
                    const { name, description, conditions } = s;
                    setText(segmentText({ name, ...(description ? { description } : {}), conditions }));
                  }}
                >
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="builder-bar">
        <h2 id="segment-editor-title">{editing ? 'Edit segment' : 'New segment'}</h2>
        <p class="builder-status" aria-live="polite" data-testid="segment-status">
          {checking ? 'Checking…' : problems.length === 0 ? 'No problems.' : `${problems.length} problem(s)`}
        </p>
        <button
          type="button"
          onClick={() => run(async () => setEstimate(await api<Estimate>('POST', '/v1/segments/estimate', parsed)))}
          disabled={!ready}
        >
          Estimate reach
        </button>
        <button type="button" class="primary" onClick={save} disabled={!ready}>
          {editing ? 'Save segment' : 'Create segment'}
        </button>
        {editing ? (
          <button
            type="button"
            class="remove"
            onClick={() => {
              setEditing(undefined);
              change(emptySegment);
            }}
          >
            Cancel
          </button>
        ) : null}
      </div>
      {estimate ? <EstimateView estimate={estimate} /> : null}
      <Tabs
        label="Segment editor"
        tabs={[
          ['builder', 'Builder'],
          ['json', 'JSON (advanced)'],
        ]}
        current={tab}
        onChoose={setTab}
      >
        {tab === 'json' ? (
          <div class="json-tab">
            <label for="segment-json">Segment JSON</label>
            <textarea
              id="segment-json"
              rows={20}
              spellcheck={false}
              value={text}
              onInput={(e) => {
                setText(e.currentTarget.value);
                setEstimate(undefined);
              }}
            />
            {problems.length > 0 ? (
              <ul class="errors">
                {problems.map((p) => (
                  <li key={`${p.path}-${p.code}`}>
                    <code>{p.path.replace(/^\/body/, '') || '/'}</code>: {p.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : !buildable ? (
          <p class="notice">
            The builder shows segments whose conditions are an all / any group; edit this one in the JSON tab.
          </p>
        ) : (
          <DraftProvider
            root={parsed}
            replace={change}
            problems={problemsByHome(problems, formHomes.segment)}
            idPrefix="s"
          >
            <div class="card" data-field="">
              <FieldProblems at="" />
              <div class="row">
                <TextField path={['name']} label="Segment name" />
                <TextField path={['description']} label="Description (optional)" optional class="wide" />
              </div>
              <ul class="segment-rows root-group">
                <Group path={['conditions']} />
              </ul>
            </div>
          </DraftProvider>
        )}
      </Tabs>
    </section>
  );
}
