import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import type { Canvas } from '../types.js';
import { TableHead } from './form-parts.js';
import { Errors } from './sign-in.js';

/** A segment-entry canvas's next scheduled run; a triggered one has none. */
function NextRun(props: { canvas: Canvas }) {
  const [next, setNext] = useState<string | null>(null);
  useEffect(() => {
    if (props.canvas.status !== 'running' && props.canvas.status !== 'paused') return;
    api<{ nextRunAt: string | null }>('GET', `/v1/canvases/${props.canvas.id}/runs`)
      .then((runs) => setNext(runs.nextRunAt))
      .catch(() => undefined);
  }, [props.canvas.id, props.canvas.status]);
  return <>{next ? new Date(next).toLocaleString() : '—'}</>;
}

/** Every canvas of the workspace with its status, versions and next run. */
export function Canvases() {
  const [canvases, setCanvases] = useState<Canvas[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    api<{ data: Canvas[] }>('GET', '/v1/canvases?limit=100')
      .then((page) => setCanvases(page.data))
      .catch((error: unknown) => setErrors(describeError(error)));
  }, []);
  return (
    <section aria-labelledby="canvases-title">
      <h1 id="canvases-title">Canvases</h1>
      <div class="actions">
        <a class="button-link" href="#/canvases/new">
          New canvas
        </a>
        <a class="button-link" href="#/campaigns/new">
          New segment campaign
        </a>
      </div>
      <Errors messages={errors} />
      <table>
        <caption class="visually-hidden">Canvases, newest first</caption>
        <TableHead columns={['Name', 'Status', 'Live version', 'Next run', 'Updated']} />
        <tbody>
          {canvases.map((c) => (
            <tr key={c.id}>
              <td>
                <a href={`#/canvases/${c.id}`}>{c.name}</a>
              </td>
              <td>{c.status}</td>
              <td>{c.liveVersion ?? '—'}</td>
              <td>
                <NextRun canvas={c} />
              </td>
              <td>{new Date(c.updatedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
