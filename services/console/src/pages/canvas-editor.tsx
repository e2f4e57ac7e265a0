import { useEffect, useState } from 'preact/hooks';
import { api, describeError, type FieldProblem } from '../api.js';
import { StepGraph } from '../graph/step-graph.js';
import type { Canvas, Step } from '../types.js';
import { Errors } from './sign-in.js';

const starter = {
  name: 'New canvas',
  entry: { trigger: { event: 'added_to_cart' } },
  firstStep: 'fb',
  steps: [
    {
      id: 'fb',
      kind: 'facebook_audience',
      audience: { create: { name: 'New_Audience' } },
      matchKeys: ['EMAIL'],
      next: null,
    },
  ],
};

/** How long typing pauses before the API validates the draft. */
const validateAfterMs = 400;

/** Create or edit a canvas as JSON, with the API's validation and a graph preview as you type. */
export function CanvasEditor(props: { id?: string | undefined }) {
  const [text, setText] = useState(props.id ? '' : JSON.stringify(starter, null, 2));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [parseError, setParseError] = useState<string>();
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    if (!props.id) return;
    api<Canvas>('GET', `/v1/canvases/${props.id}`)
      .then((canvas) => setText(JSON.stringify(canvas.definition, null, 2)))
      .catch((error: unknown) => setErrors(describeError(error)));
  }, [props.id]);

  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  useEffect(() => {
    const timer = setTimeout(() => {
      try {
        const body: unknown = JSON.parse(text);
        setParseError(undefined);
        api<{ problems: FieldProblem[] }>('POST', '/v1/canvases/validate', body)
          .then((answer) => setProblems(answer.problems))
          .catch((error: unknown) => setErrors(describeError(error)));
      } catch (error) {
        setParseError(error instanceof Error ? error.message : String(error));
      }
    }, validateAfterMs);
    return () => clearTimeout(timer);
  }, [text]);

  const save = (event: Event) => {
    event.preventDefault();
    setErrors([]);
    const request = props.id
      ? api<Canvas>('PUT', `/v1/canvases/${props.id}`, parsed)
      : api<Canvas>('POST', '/v1/canvases', parsed);
    request
      .then((canvas) => location.assign(`#/canvases/${canvas.id}`))
      .catch((error: unknown) => setErrors(describeError(error)));
  };
  const steps = (parsed as { steps?: Step[] } | undefined)?.steps;
  return (
    <section aria-labelledby="editor-title" class="editor">
      <h1 id="editor-title">{props.id ? 'Edit canvas' : 'New canvas'}</h1>
      <div class="side-by-side">
        <div>
          <form onSubmit={save}>
            <label for="canvas-json">Canvas JSON</label>
            <textarea
              id="canvas-json"
              rows={24}
              spellcheck={false}
              aria-describedby="canvas-problems"
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button type="submit" disabled={Boolean(parseError) || problems.length > 0}>
              {props.id ? 'Save draft' : 'Create draft'}
            </button>
          </form>
          <div id="canvas-problems" aria-live="polite">
            {parseError ? <p class="errors">Not JSON: {parseError}</p> : null}
            {problems.length > 0 ? (
              <ul class="errors" data-testid="canvas-problems">
                {problems.map((p) => (
                  <li key={`${p.path}-${p.code}`}>
                    <code>{p.path.replace(/^\/body/, '') || '/'}</code>: {p.message} ({p.code})
                  </li>
                ))}
              </ul>
            ) : parseError ? null : (
              <p>No problems.</p>
            )}
          </div>
          <Errors messages={errors} />
        </div>
        <div class="graph-frame" role="region" aria-label="Preview">
          {Array.isArray(steps) && steps.every((s) => typeof s?.id === 'string') ? <StepGraph steps={steps} /> : null}
        </div>
      </div>
    </section>
  );
}
