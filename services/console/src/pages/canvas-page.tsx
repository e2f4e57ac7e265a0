import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { StepGraph } from '../graph/step-graph.js';
import type { Analytics, Canvas } from '../types.js';
import { Errors } from './sign-in.js';
import { DriftNotice, StepRedrive, driftBadges, useDrift } from './step-reconciliation.js';
import { StepResyncs } from './step-resyncs.js';
import { UserLookup } from './user-lookup.js';
import { Lookalikes } from './lookalikes.js';
import { DryRunPanel } from './dry-run-panel.js';
import { LaunchWarnings, type LaunchWarning } from './launch-warnings.js';
import { CreateAudiences } from './create-audiences.js';
import { hintInWords } from './hint-words.js';
import { launchProblems } from './launch-problems.js';
import { projectedNumbers, windowText } from '../dry-run/projected.js';
import type { DryRun } from '../dry-run/types.js';

/** How often the graph's numbers are read again. */
const refreshMs = 3000;

const actions: Record<Canvas['status'], ('launch' | 'pause' | 'resume' | 'archive')[]> = {
  draft: ['launch', 'archive'],
  running: ['launch', 'pause', 'archive'],
  paused: ['resume', 'launch', 'archive'],
  archived: [],
};

const projectedBadges = (steps: { id: string }[]) => Object.fromEntries(steps.map((s) => [s.id, 'Projected']));

/** A canvas drawn as its step graph with live per-step numbers, and its lifecycle buttons. */
export function CanvasPage(props: { id: string; dryRun?: boolean }) {
  const [canvas, setCanvas] = useState<Canvas>();
  const [analytics, setAnalytics] = useState<Analytics>();
  const [errors, setErrors] = useState<string[]>([]);
  const [versions, setVersions] = useState<{ version: number; state: string }[]>([]);
  const [version, setVersion] = useState('');
  const [projection, setProjection] = useState<DryRun>();
  const [warnings, setWarnings] = useState<LaunchWarning[]>([]);
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
    setWarnings([]);
    api<{ warnings?: LaunchWarning[] }>('POST', `/v1/canvases/${props.id}/${action}`)
      .then((answer) => setWarnings(answer.warnings ?? []))
      .then(load)
      .catch((error: unknown) => setErrors(launchProblems(error, canvas?.definition?.steps ?? [])));
  };
  const stepName = (id: string) => canvas?.definition?.steps.find((s) => s.id === id)?.name ?? id;
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
      {canvas.status === 'draft' ? <CreateAudiences canvasId={canvas.id} /> : null}
      <Errors messages={errors} />
      <LaunchWarnings warnings={warnings} stepName={stepName} />
      {canvas.accountProblems && canvas.accountProblems.length > 0 ? (
        <ul class="problems" aria-label="Ad account problems">
          {canvas.accountProblems.map((p) => (
            <li key={`${p.code}-${p.adAccountId}`}>
              {p.adAccountId}: {p.message} ({p.steps.length === 1 ? 'step' : 'steps'} {p.steps.map(stepName).join(', ')}
              ). {hintInWords(p.code, p.hint)}
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
      {projection ? (
        <p class="notice projected-note" data-testid="projected-note">
          {`Projected numbers: dry run of version ${projection.version} over ${windowText(projection)}. `}
          <button type="button" onClick={() => setProjection(undefined)}>
            Show live numbers
          </button>
        </p>
      ) : null}
      <div class={`graph-frame${projection ? ' projected' : ''}`}>
        {canvas.definition ? (
          <StepGraph
            steps={canvas.definition.steps}
            numbers={projection ? projectedNumbers(projection) : (analytics?.steps ?? [])}
            badges={projection ? projectedBadges(canvas.definition.steps) : driftBadges(drift)}
            projected={projection !== undefined}
          />
        ) : null}
      </div>
      <DryRunPanel canvasId={canvas.id} versions={versions} open={props.dryRun} onProjection={setProjection} />
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
