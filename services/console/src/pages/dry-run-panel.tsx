import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { windowText } from '../dry-run/projected.js';
import { finished, type DryRun } from '../dry-run/types.js';
import { DryRunTable } from './dry-run-table.js';
import { DraftQuota } from './draft-quota.js';
import { Errors } from './sign-in.js';

/** How often a running dry run is read again. */
const pollMs = 1000;
const windows = [1, 7, 30] as const;

const passText = (run: DryRun) =>
  run.progress.passes > 1 ? ` (pass ${run.progress.pass} of ${run.progress.passes})` : '';

/** Where a run is, in words. */
function statusText(run: DryRun): string {
  const { progress } = run;
  if (run.status === 'queued') return 'Queued…';
  if (run.status === 'running')
    return (
      `Running: ${Math.round(progress.fraction * 100)} % of ${progress.totalUsers.toLocaleString()} ` +
      `user(s) looked at${passText(run)}`
    );
  if (run.status === 'done')
    return `Done: version ${run.version} over ${windowText(run)}. The graph shows the projected numbers.`;
  return run.status === 'cancelled' ? 'Cancelled.' : `Failed: ${run.failure ?? 'unknown reason'}.`;
}

/** Braze's "test your canvas" on history: replay a version over a window, follow it, cancel it, show the projection. */
export function DryRunPanel(props: {
  canvasId: string;
  versions: { version: number; state: string }[];
  open?: boolean | undefined;
  onProjection: (run: DryRun | undefined) => void;
}) {
  const [days, setDays] = useState<number>(7);
  const [version, setVersion] = useState('');
  const [run, setRun] = useState<DryRun>();
  const [errors, setErrors] = useState<string[]>([]);
  const running = run !== undefined && !finished(run);

  // a run asked for earlier (another tab, the API) is followed too
  useEffect(() => {
    api<{ data: DryRun[] }>('GET', `/v1/canvases/${props.canvasId}/dry-runs`).then(
      (answer) => {
        const newest = answer.data[0];
        if (newest && !finished(newest)) setRun(newest);
      },
      () => undefined,
    );
  }, [props.canvasId]);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      api<DryRun>('GET', `/v1/dry-runs/${run.id}`).then(
        (next) => {
          setRun(next);
          if (next.status === 'done') props.onProjection(next);
        },
        (error: unknown) => setErrors(describeError(error)),
      );
    }, pollMs);
    return () => clearInterval(timer);
  }, [run?.id, running]);

  const start = (event: Event) => {
    event.preventDefault();
    setErrors([]);
    props.onProjection(undefined);
    const body = { window: { lastDays: days }, ...(version ? { version: Number(version) } : {}) };
    api<DryRun>('POST', `/v1/canvases/${props.canvasId}/dry-run`, body).then(setRun, (error: unknown) =>
      setErrors(describeError(error)),
    );
  };
  const cancel = () => {
    if (!run) return;
    api<DryRun>('DELETE', `/v1/dry-runs/${run.id}`).then(setRun, (error: unknown) => setErrors(describeError(error)));
  };
  const newest = props.versions.reduce((top, v) => Math.max(top, v.version), 0);

  return (
    <details class="card dry-run" open={props.open} data-testid="dry-run">
      <summary>Dry run: what would this version have done?</summary>
      <p class="hint">
        Replays the workspace's stored behaviour through the version as if it had been launched when the window opened.
        Nobody enters a journey and nothing reaches Meta.
      </p>
      <form class="dry-run-form" onSubmit={start}>
        <span class="field-pair">
          <label for="dry-run-window">Window</label>
          <select id="dry-run-window" value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {windows.map((d) => (
              <option key={d} value={String(d)}>
                {d === 1 ? 'the last day' : `the last ${d} days`}
              </option>
            ))}
          </select>
        </span>
        <span class="field-pair">
          <label for="dry-run-version">Version</label>
          <select id="dry-run-version" value={version} onChange={(e) => setVersion(e.currentTarget.value)}>
            <option value="">the newest{newest ? ` (${newest})` : ''}</option>
            {props.versions.map((v) => (
              <option key={v.version} value={String(v.version)}>
                version {v.version} ({v.state})
              </option>
            ))}
          </select>
        </span>
        <button type="submit" class="primary" disabled={running}>
          Dry run
        </button>
        {running ? (
          <button type="button" onClick={cancel}>
            Cancel dry run
          </button>
        ) : null}
      </form>
      <Errors messages={errors} />
      {run ? (
        <p role="status" data-testid="dry-run-status">
          {statusText(run)}
        </p>
      ) : null}
      {running ? <progress value={run.progress.fraction} max={1} aria-label="Dry run progress" /> : null}
      {/* the quota's verdict before the table: a risk is read without scrolling past every step */}
      {run?.status === 'done' ? <DraftQuota run={run} /> : null}
      {run?.status === 'done' ? <DryRunTable run={run} /> : null}
    </details>
  );
}
