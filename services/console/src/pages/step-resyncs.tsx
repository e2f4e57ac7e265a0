import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import type { Resync, Step } from '../types.js';
import { describeResync } from './resync-words.js';
import { Errors } from './sign-in.js';

/** How often an open resync is read again. */
const refreshMs = 3000;
const open = (r: Resync | undefined) => r !== undefined && ['waiting', 'uploading', 'confirming'].includes(r.status);

const askedText = (r: Resync) =>
  `asked ${new Date(r.requestedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;

function StepResync(props: { canvasId: string; step: Step; onEnded: () => void }) {
  const path = `/v1/canvases/${props.canvasId}/steps/${encodeURIComponent(props.step.id)}`;
  const [last, setLast] = useState<Resync>();
  const [errors, setErrors] = useState<string[]>([]);
  const load = () =>
    api<{ data: Resync[] }>('GET', `${path}/resyncs?limit=1`)
      .then((answer) => {
        const next = answer.data[0];
        // an ending resync may add or clear a problem on the canvas
        if (open(last) && !open(next)) props.onEnded();
        setLast(next);
      })
      .catch((error: unknown) => setErrors(describeError(error)));
  useEffect(() => {
    void load();
  }, [path]);
  useEffect(() => {
    if (!open(last)) return undefined;
    const timer = setInterval(() => void load(), refreshMs);
    return () => clearInterval(timer);
  }, [path, last?.status]);
  const resync = () => {
    setErrors([]);
    api<Resync>('POST', `${path}/resync`)
      .then(setLast)
      .catch((error: unknown) => setErrors(describeError(error)));
  };
  return (
    <li>
      <strong>{props.step.name ?? props.step.id}</strong>:{' '}
      <span data-testid={`resync-${props.step.id}`}>{last ? describeResync(last) : 'Never resynced'}</span>
      {last?.lastError && last.status !== 'done' ? `: ${last.lastError.message}` : ''}
      {last ? <span class="muted">{` (${askedText(last)})`}</span> : null}{' '}
      <button type="button" disabled={open(last)} onClick={resync}>
        Resync
      </button>
      <Errors messages={errors} />
    </li>
  );
}

/**
 * Resync of the audiences that follow the segment: replaces each with the segment's members through
 * Meta's replace session. Shows the last resync's status and what it added and removed.
 */
export function StepResyncs(props: { canvasId: string; steps: Step[]; onEnded: () => void }) {
  const following = props.steps.filter((s) => s.kind === 'facebook_audience' && s.followSegment);
  if (following.length === 0) return null;
  return (
    <section aria-labelledby="resync-title">
      <h2 id="resync-title">Audiences that follow the segment</h2>
      <ul class="resyncs">
        {following.map((step) => (
          <StepResync key={step.id} canvasId={props.canvasId} step={step} onEnded={props.onEnded} />
        ))}
      </ul>
    </section>
  );
}
