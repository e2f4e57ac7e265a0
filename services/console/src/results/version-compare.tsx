import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { Errors } from '../pages/sign-in.js';
import { versionChanges } from './version-diff.js';

interface VersionSummary {
  version: number;
  state: string;
}
interface Definition {
  steps: { id: string; kind: string; name?: string }[];
  [part: string]: unknown;
}

const stepLine = (step: Definition['steps'][number]) => `${step.name ?? step.id} · ${step.kind.replace(/_/g, ' ')}`;

/** Two versions of a canvas side by side, and what changed from the older to the newer. */
export function VersionCompare(props: { canvasId: string; versions: VersionSummary[] }) {
  const newest = props.versions[0]?.version;
  // the newest version against the one before it, until the designer picks others
  const [leftChoice, setLeft] = useState('');
  const [rightChoice, setRight] = useState('');
  const left = leftChoice || String(props.versions[1]?.version ?? newest ?? '');
  const right = rightChoice || String(newest ?? '');
  const [definitions, setDefinitions] = useState<Record<string, Definition>>({});
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    for (const version of [left, right])
      if (version && !definitions[version])
        api<{ definition: Definition }>('GET', `/v1/canvases/${props.canvasId}/versions/${version}`)
          .then((answer) => setDefinitions((known) => ({ ...known, [version]: answer.definition })))
          .catch((error: unknown) => setErrors(describeError(error)));
  }, [left, right, props.canvasId]);
  if (props.versions.length === 0) return null;
  const before = definitions[left];
  const after = definitions[right];
  const changes = before && after ? versionChanges(before, after) : [];
  const changed = new Set(changes.map((c) => c.what));
  const picker = (id: string, value: string, set: (v: string) => void, text: string) => (
    <label for={id}>
      {text}{' '}
      <select id={id} value={value} onChange={(e) => set(e.currentTarget.value)}>
        {props.versions.map((v) => (
          <option key={v.version} value={String(v.version)}>
            version {v.version} ({v.state})
          </option>
        ))}
      </select>
    </label>
  );
  const column = (definition: Definition | undefined) => (
    <ol class="version-steps">
      {(definition?.steps ?? []).map((step) => {
        const mark = [...changed].some((what) => what.endsWith(`(${step.id})`) || what === `step ${step.id}`);
        return (
          <li key={step.id} class={mark ? 'changed' : undefined}>
            {stepLine(step)}
            {mark ? <span class="visually-hidden"> (differs)</span> : null}
          </li>
        );
      })}
    </ol>
  );
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions side by side</h2>
      <Errors messages={errors} />
      <div class="version-pickers">
        {picker('compare-left', left, setLeft, 'Compare')}
        {picker('compare-right', right, setRight, 'with')}
      </div>
      <div class="version-columns">
        <div>
          <h3>Version {left}</h3>
          {column(before)}
        </div>
        <div>
          <h3>Version {right}</h3>
          {column(after)}
        </div>
      </div>
      <h3>What changed</h3>
      {!before || !after ? (
        <p>Loading…</p>
      ) : changes.length === 0 ? (
        <p class="empty">The two versions are the same.</p>
      ) : (
        <ul data-testid="version-changes">
          {changes.map((change) => (
            <li key={`${change.kind}-${change.what}`}>
              <strong>{change.kind}</strong> {change.what}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
