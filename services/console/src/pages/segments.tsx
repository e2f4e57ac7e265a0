import { useEffect, useState } from 'preact/hooks';
import { api, describeError, type FieldProblem } from '../api.js';
import { Errors } from './sign-in.js';
import { TableHead } from './form-parts.js';

interface Segment {
  id: string;
  name: string;
  description: string | null;
  conditions: unknown;
  updatedAt: string;
}

interface Estimate {
  members: number;
  membersRange: { low: number; high: number };
  matchableOnFacebook: number;
  byKey: Record<string, number>;
  exact: boolean;
}

const starter = {
  name: 'Cart abandoners',
  conditions: {
    all: [
      { behaviour: { did: true, event: 'added_to_cart', window: { lastDays: 30 } } },
      { behaviour: { did: false, event: 'purchased', window: { lastDays: 30 } } },
    ],
  },
};

/** Segments as JSON with the API's validation as you type, and Estimate reach. */
export function Segments() {
  const [segments, setSegments] = useState<Segment[]>([]);
  const [text, setText] = useState(JSON.stringify(starter, null, 2));
  const [editing, setEditing] = useState<string>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [estimate, setEstimate] = useState<Estimate>();
  const [errors, setErrors] = useState<string[]>([]);
  const load = () =>
    api<{ data: Segment[] }>('GET', '/v1/segments?limit=100')
      .then((page) => setSegments(page.data))
      .catch((error: unknown) => setErrors(describeError(error)));
  useEffect(() => void load(), []);
  useEffect(() => {
    const timer = setTimeout(() => {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        setProblems([{ code: 'not_json', path: '/', message: error instanceof Error ? error.message : 'not JSON' }]);
        return;
      }
      api<{ problems: FieldProblem[] }>('POST', '/v1/segments/validate', body)
        .then((answer) => setProblems(answer.problems))
        .catch((error: unknown) => setErrors(describeError(error)));
    }, 400);
    return () => clearTimeout(timer);
  }, [text]);

  const run = (work: () => Promise<unknown>) => {
    setErrors([]);
    work().catch((error: unknown) => setErrors(describeError(error)));
  };
  const estimateReach = () =>
    run(async () => {
      setEstimate(await api<Estimate>('POST', '/v1/segments/estimate', JSON.parse(text)));
    });
  const save = (event: Event) => {
    event.preventDefault();
    run(async () => {
      const body: unknown = JSON.parse(text);
      await (editing ? api('PUT', `/v1/segments/${editing}`, body) : api('POST', '/v1/segments', body));
      setEditing(undefined);
      await load();
    });
  };
  return (
    <section aria-labelledby="segments-title" class="editor">
      <h1 id="segments-title">Segments</h1>
      <Errors messages={errors} />
      <table>
        <caption class="visually-hidden">Segments</caption>
        <TableHead columns={['Name', 'Updated', 'Actions']} />
        <tbody>
          {segments.map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td>{new Date(s.updatedAt).toLocaleString()}</td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    setEditing(s.id);
                    const { name, description, conditions } = s;
                    setText(JSON.stringify({ name, ...(description ? { description } : {}), conditions }, null, 2));
                  }}
                >
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={save}>
        <label for="segment-json">{editing ? 'Segment JSON (editing)' : 'New segment JSON'}</label>
        <textarea
          id="segment-json"
          rows={16}
          spellcheck={false}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <div class="actions">
          <button type="button" onClick={estimateReach} disabled={problems.length > 0}>
            Estimate reach
          </button>
          <button type="submit" disabled={problems.length > 0}>
            {editing ? 'Save segment' : 'Create segment'}
          </button>
        </div>
      </form>
      {problems.length > 0 ? (
        <ul class="errors" aria-live="polite">
          {problems.map((p) => (
            <li key={`${p.path}-${p.code}`}>
              <code>{p.path.replace(/^\/body/, '') || '/'}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
      {estimate ? (
        <dl class="estimate" data-testid="estimate">
          <dt>Members</dt>
          <dd>
            {estimate.members} (
            {estimate.exact ? 'exact' : `95 % between ${estimate.membersRange.low} and ${estimate.membersRange.high}`})
          </dd>
          <dt>Reachable on Facebook</dt>
          <dd>{estimate.matchableOnFacebook}</dd>
          {Object.entries(estimate.byKey).map(([key, count]) => (
            <>
              <dt key={`${key}-t`}>{key}</dt>
              <dd key={`${key}-d`}>{count}</dd>
            </>
          ))}
        </dl>
      ) : null}
    </section>
  );
}
