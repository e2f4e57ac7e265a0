import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { unbuildable, type DraftCanvas } from '../builder/draft.js';
import { problemsByHome } from '../builder/problem-home.js';
import { DraftProvider } from '../builder-ui/draft-context.js';
import { EntryForm, GoalsForm } from '../builder-ui/entry-form.js';
import { FieldProblems, TextField } from '../builder-ui/fields.js';
import { FlowView } from '../builder-ui/flow-view.js';
import { ProblemSummary } from '../builder-ui/problem-summary.js';
import { Tabs } from '../builder-ui/tabs.js';
import { useValidation } from '../builder-ui/validation.js';
import type { Canvas } from '../types.js';
import { Errors } from './sign-in.js';

/** A new canvas: an event trigger to fill in and no step yet. */
export const emptyCanvas: DraftCanvas = { name: 'Untitled canvas', entry: { trigger: { event: '' } }, steps: [] };

export const canvasText = (draft: unknown) => JSON.stringify(draft, null, 2);

/**
 * A canvas built as forms on its flow, Braze's way, with the JSON as an advanced tab. Both edit
 * the same text: the builder rewrites it, the JSON tab keeps what is typed as typed.
 */
export function CanvasBuilder(props: { id?: string | undefined; initial?: DraftCanvas }) {
  const [text, setText] = useState(props.id ? '' : canvasText(props.initial ?? emptyCanvas));
  const [tab, setTab] = useState('builder');
  const [errors, setErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!props.id) return;
    api<Canvas>('GET', `/v1/canvases/${props.id}`)
      .then((canvas) => setText(canvasText(canvas.definition)))
      .catch((error: unknown) => setErrors(describeError(error)));
  }, [props.id]);
  const { problems, checking, errors: checkErrors } = useValidation(text, '/v1/canvases/validate');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const why = parsed === undefined ? 'the text is not JSON' : unbuildable(parsed);
  const draft = (why ? {} : parsed) as DraftCanvas;
  const change = (next: unknown) => setText(canvasText(next));
  const save = () => {
    setErrors([]);
    setSaving(true);
    (props.id ? api<Canvas>('PUT', `/v1/canvases/${props.id}`, parsed) : api<Canvas>('POST', '/v1/canvases', parsed))
      .then((canvas) => location.assign(`#/canvases/${canvas.id}`))
      .catch((error: unknown) => setErrors(describeError(error)))
      .finally(() => setSaving(false));
  };
  const ready = !checking && problems.length === 0 && parsed !== undefined;
  if (text === '')
    return (
      <section aria-labelledby="editor-title" class="builder">
        <h1 id="editor-title">Edit canvas</h1>
        {errors.length > 0 ? <Errors messages={errors} /> : <p>Reading the canvas…</p>}
      </section>
    );
  return (
    <section aria-labelledby="editor-title" class="builder">
      <div class="builder-bar">
        <h1 id="editor-title">{props.id ? 'Edit canvas' : 'New canvas'}</h1>
        <p class="builder-status" aria-live="polite" data-testid="builder-status">
          {checking ? 'Checking…' : problems.length === 0 ? 'No problems.' : `${problems.length} problem(s)`}
        </p>
        <button type="button" class="primary" onClick={save} disabled={!ready || saving}>
          {props.id ? 'Save draft' : 'Create draft'}
        </button>
        {props.id ? (
          <a class="button-link" href={`#/canvases/${props.id}/dry-run`}>
            Dry run
          </a>
        ) : null}
      </div>
      <Errors messages={[...errors, ...checkErrors]} />
      <ProblemSummary problems={problems} draft={draft} onShow={() => setTab(why ? 'json' : 'builder')} />
      <Tabs
        label="Canvas editor"
        tabs={[
          ['builder', 'Builder'],
          ['json', 'JSON (advanced)'],
        ]}
        current={tab}
        onChoose={setTab}
      >
        {tab === 'json' ? (
          <div class="json-tab">
            <label for="canvas-json">Canvas JSON</label>
            <textarea
              id="canvas-json"
              rows={28}
              spellcheck={false}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </div>
        ) : why ? (
          <p class="notice">The builder cannot show this canvas: {why}. Fix it in the JSON tab.</p>
        ) : (
          <DraftProvider root={draft} replace={change} problems={problemsByHome(problems)} idPrefix="c">
            <div class="card canvas-meta" data-field="">
              <FieldProblems at="" />
              <div class="row">
                <TextField path={['name']} label="Canvas name" />
                <TextField path={['description']} label="Description (optional)" optional class="wide" />
              </div>
            </div>
            <section class="card entry-card" aria-labelledby="entry-title">
              <h2 id="entry-title">Entry</h2>
              <EntryForm />
            </section>
            <FlowView draft={draft} onChange={change} />
            <section class="card goals-card" aria-labelledby="goals-title">
              <h2 id="goals-title">Exit and conversion</h2>
              <GoalsForm />
            </section>
          </DraftProvider>
        )}
      </Tabs>
    </section>
  );
}
