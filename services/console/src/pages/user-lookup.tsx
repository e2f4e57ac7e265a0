import { useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import type { Step } from '../types.js';
import { Errors } from './sign-in.js';

interface Entry {
  entrySeq: number;
  version: number;
  status: string;
  action: string;
  lastError: { code?: string; message?: string } | null;
}

/** "Why isn't this user in my audience?": the per-user answer of a Facebook step. */
export function UserLookup(props: { canvasId: string; steps: Step[] }) {
  const facebookSteps = props.steps.filter((s) => s.kind === 'facebook_audience');
  const [stepId, setStepId] = useState(facebookSteps[0]?.id ?? '');
  const [userId, setUserId] = useState('');
  const [entries, setEntries] = useState<Entry[]>();
  const [errors, setErrors] = useState<string[]>([]);
  if (facebookSteps.length === 0) return null;
  const look = (event: Event) => {
    event.preventDefault();
    setErrors([]);
    const path =
      `/v1/canvases/${props.canvasId}/steps/${encodeURIComponent(stepId)}` + `/users/${encodeURIComponent(userId)}`;
    api<{ entries: Entry[] }>('GET', path)
      .then((answer) => setEntries(answer.entries))
      .catch((error: unknown) => {
        setEntries(undefined);
        setErrors(describeError(error));
      });
  };
  return (
    <section aria-labelledby="lookup-title">
      <h2 id="lookup-title">Why isn't this user in my audience?</h2>
      <form class="lookup" onSubmit={look}>
        <label for="lookup-step">Facebook step</label>
        <select id="lookup-step" value={stepId} onChange={(e) => setStepId(e.currentTarget.value)}>
          {facebookSteps.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name ?? s.id}
            </option>
          ))}
        </select>
        <label for="lookup-user">User id</label>
        <input id="lookup-user" required value={userId} onInput={(e) => setUserId(e.currentTarget.value)} />
        <button type="submit">Look up</button>
      </form>
      <Errors messages={errors} />
      {entries ? (
        <ul data-testid="lookup-entries">
          {entries.map((e) => (
            <li key={e.entrySeq}>
              Version {e.version}, {e.action}: <strong>{e.status}</strong>
              {e.lastError ? ` — ${e.lastError.code ?? ''} ${e.lastError.message ?? ''}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
