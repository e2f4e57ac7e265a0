import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import type { Canvas, Redrive, Step, StepDrift, StepNumbers } from '../types.js';
import { Errors } from './sign-in.js';

/** How often the reconciliation state and the re-drives are read again. */
const refreshMs = 5000;

const kindText: Record<StepDrift['gaps'][number]['kind'], string> = {
  counters: 'entered ≠ synced + not synced + pending + errored',
  removals: 'removed ≠ its synced + not synced + pending + errored',
  audience_size: "Meta's audience size is out of line with synced minus removed",
};

/** The canvas's drift as the watch last stored it, read again every few seconds. */
export function useDrift(canvasId: string, initial: StepDrift[] | undefined): StepDrift[] {
  const [drift, setDrift] = useState<StepDrift[]>(initial ?? []);
  useEffect(() => setDrift(initial ?? []), [initial]);
  useEffect(() => {
    const timer = setInterval(() => {
      api<Canvas>('GET', `/v1/canvases/${canvasId}`)
        .then((canvas) => setDrift(canvas.drift ?? []))
        .catch(() => undefined);
    }, refreshMs);
    return () => clearInterval(timer);
  }, [canvasId]);
  return drift;
}

/** A badge per drifting step for the graph: the users out of balance. */
export function driftBadges(drift: StepDrift[]): Record<string, string> {
  return Object.fromEntries(
    drift
      .filter((d) => d.status === 'drift')
      .map((d) => [d.stepId, `⚠ drift ${d.gaps.reduce((total, g) => total + g.gap, 0)}`]),
  );
}

/** What does not add up, step by step, never silent. */
export function DriftNotice(props: { drift: StepDrift[]; steps: Step[] }) {
  const drifting = props.drift.filter((d) => d.status === 'drift');
  if (drifting.length === 0) return null;
  const name = (stepId: string) => props.steps.find((s) => s.id === stepId)?.name ?? stepId;
  return (
    <ul class="problems" aria-label="Steps whose numbers do not add up" data-testid="drift">
      {drifting.flatMap((d) =>
        d.gaps.map((g) => (
          <li key={`${d.stepId}-${g.kind}`}>
            {name(d.stepId)}: {kindText[g.kind]} — off by <strong>{g.gap}</strong> (expected {g.expected}, found{' '}
            {g.actual}) since {new Date(g.since).toLocaleString()}.
          </li>
        )),
      )}
    </ul>
  );
}

/** Sends a Facebook step's Errored users again, and lists the step's re-drives: who, when, how many, where they are. */
export function StepRedrive(props: { canvasId: string; steps: Step[]; numbers: StepNumbers[] }) {
  const facebookSteps = props.steps.filter((s) => s.kind === 'facebook_audience');
  const [stepId, setStepId] = useState(facebookSteps[0]?.id ?? '');
  const [note, setNote] = useState('');
  const [redrives, setRedrives] = useState<Redrive[]>([]);
  const [result, setResult] = useState<string>();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const path = `/v1/canvases/${props.canvasId}/steps/${encodeURIComponent(stepId)}`;
  const load = () =>
    api<{ data: Redrive[] }>('GET', `${path}/redrives`)
      .then((answer) => setRedrives(answer.data))
      .catch(() => undefined);
  useEffect(() => {
    if (!stepId) return undefined;
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => clearInterval(timer);
  }, [path]);
  if (facebookSteps.length === 0) return null;
  const errored = props.numbers.find((n) => n.stepId === stepId)?.facebook?.errored ?? 0;
  const redrive = (event: Event) => {
    event.preventDefault();
    setErrors([]);
    setResult(undefined);
    setBusy(true);
    api<Redrive>('POST', `${path}/redrive`, note.trim() ? { note: note.trim() } : undefined)
      .then((made) => {
        setResult(`${made.users} user(s) sent again`);
        setNote('');
        return load();
      })
      .catch((error: unknown) => setErrors(describeError(error)))
      .finally(() => setBusy(false));
  };
  return (
    <section aria-labelledby="redrive-title">
      <h2 id="redrive-title">Re-drive errored users</h2>
      <form class="lookup" onSubmit={redrive}>
        <label for="redrive-step">Facebook step</label>
        <select id="redrive-step" value={stepId} onChange={(e) => setStepId(e.currentTarget.value)}>
          {facebookSteps.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name ?? s.id}
            </option>
          ))}
        </select>
        <label for="redrive-note">Note (optional)</label>
        <input id="redrive-note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          Re-drive {errored} errored
        </button>
      </form>
      {result ? (
        <p role="status" data-testid="redrive-result">
          {result}
        </p>
      ) : null}
      <Errors messages={errors} />
      {redrives.length > 0 ? (
        <table data-testid="redrives">
          <caption class="visually-hidden">Re-drives of the step</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">By</th>
              <th scope="col">Users</th>
              <th scope="col">Now synced / pending / errored</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {redrives.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.requestedAt).toLocaleString()}</td>
                <td>{r.requestedBy}</td>
                <td>{r.users}</td>
                <td>
                  {r.progress.synced} / {r.progress.pending} / {r.progress.errored}
                </td>
                <td>{r.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
