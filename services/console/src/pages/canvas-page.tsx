import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { StepGraph } from '../graph/step-graph.js';
import type { Analytics, Canvas } from '../types.js';
import { Errors } from './sign-in.js';
import { DriftNotice, StepRedrive, driftBadges, useDrift } from './step-reconciliation.js';
import { StepResyncs } from './step-resyncs.js';
import { UserLookup } from './user-lookup.js';
import { Lookalikes } from './lookalikes.js';

/** How often the graph's numbers are read again. */
const refreshMs = 3000;

const actions: Record<Canvas['status'], ('launch' | 'pause' | 'resume' | 'archive')[]> = {
  draft: ['launch', 'archive'],
  running: ['launch', 'pause', 'archive'],
  paused: ['resume', 'launch', 'archive'],
  archived: [],
};

/** A canvas drawn as its step graph with live per-step numbers, and its lifecycle buttons. */
export function CanvasPage(props: { id: string }) {
  const [canvas, setCanvas] = useState<Canvas>();
  const [analytics, setAnalytics] = useState<Analytics>();
  const [errors, setErrors] = useState<string[]>([]);
  const [versions, setVersions] = useState<{ version: number; state: string }[]>([]);
  const [version, setVersion] = useState('');
  const numbersPath = `/v1/canvases/${props.id}/analytics${version ? `?version=${version}` : ''}`;
  const drift = useDrift(props.id, canvas?.drift);
  const load = async () => {
    setCanvas(await api<Canvas>('GET', `/v1/canvases/${props.id}`));
    setVersions(
      (await api<{ data: { version: number; state: string }[] }>('GET', `/v1/canvases/${props.id}/versions`)).data,
    );
    setAnalytics(await api<Analytics>('GET', numbersPath));
  };
  useEffect(() => {
    load().catch((error: unknown) => setErrors(describeError(error)));
    const timer = setInterval(() => {
      api<Analytics>('GET', numbersPath)
        .then(setAnalytics)
        .catch(() => undefined);
    }, refreshMs);
    return () => clearInterval(timer);
  }, [props.id, numbersPath]);

  const act = (action: string) => {
    setErrors([]);
    api('POST', `/v1/canvases/${props.id}/${action}`)
      .then(load)
      .catch((error: unknown) => setErrors(describeError(error)));
  };
  if (!canvas) return <Errors messages={errors} />;
  return (
    <section aria-labelledby="canvas-title">
      <h1 id="canvas-title">{canvas.name}</h1>
      <p>
        Status: <strong data-testid="canvas-status">{canvas.status}</strong>
        {` · live version ${canvas.liveVersion ?? '—'} · newest version ${canvas.latestVersion}`}
      </p>
      <div class="actions">
        <a class="button-link" href={`#/canvases/${canvas.id}/edit`}>
          Edit
        </a>
        <a class="button-link" href={`#/canvases/${canvas.id}/results`}>
          Results over time
        </a>
        {actions[canvas.status]
          .filter((action) => action !== 'launch' || canvas.liveVersion !== canvas.latestVersion)
          .map((action) => (
            <button key={action} type="button" onClick={() => act(action)}>
              {action[0]?.toUpperCase()}
              {action.slice(1)}
            </button>
          ))}
      </div>
      <Errors messages={errors} />
      {canvas.accountProblems && canvas.accountProblems.length > 0 ? (
        <ul class="problems" aria-label="Ad account problems">
          {canvas.accountProblems.map((p) => (
            <li key={`${p.code}-${p.adAccountId}`}>
              {p.adAccountId}: {p.message} (steps {p.steps.join(', ')}). {p.hint}
            </li>
          ))}
        </ul>
      ) : null}
      {canvas.definition ? <DriftNotice drift={drift} steps={canvas.definition.steps} /> : null}
      <label for="numbers-version">Numbers for</label>{' '}
      <select id="numbers-version" value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
        <option value="">all versions</option>
        {versions.map((v) => (
          <option key={v.version} value={String(v.version)}>
            version {v.version} ({v.state})
          </option>
        ))}
      </select>
      <div class="graph-frame">
        {canvas.definition ? (
          <StepGraph steps={canvas.definition.steps} numbers={analytics?.steps ?? []} badges={driftBadges(drift)} />
        ) : null}
      </div>
      <Lookalikes lookalikes={canvas.lookalikes ?? []} />
      {canvas.definition && canvas.liveVersion !== null ? (
        <StepResyncs
          canvasId={canvas.id}
          steps={canvas.definition.steps}
          onEnded={() => void load().catch((error: unknown) => setErrors(describeError(error)))}
        />
      ) : null}
      {canvas.definition ? <UserLookup canvasId={canvas.id} steps={canvas.definition.steps} /> : null}
      {canvas.definition ? (
        <StepRedrive canvasId={canvas.id} steps={canvas.definition.steps} numbers={analytics?.steps ?? []} />
      ) : null}
    </section>
  );
}
