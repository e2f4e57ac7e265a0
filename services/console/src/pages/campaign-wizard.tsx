import { useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import type { DraftCanvas } from '../builder/draft.js';
import { problemHome, problemsByHome } from '../builder/problem-home.js';
import { DraftProvider } from '../builder-ui/draft-context.js';
import { EntryForm } from '../builder-ui/entry-form.js';
import { FieldProblems, TextField } from '../builder-ui/fields.js';
import { ProblemSummary } from '../builder-ui/problem-summary.js';
import { FacebookStepForm } from '../builder-ui/steps/facebook-step.js';
import { useSegments } from '../builder-ui/data.js';
import { useValidation } from '../builder-ui/validation.js';
import type { Canvas } from '../types.js';
import { canvasText } from './canvas-builder.js';
import { Errors } from './sign-in.js';

/** The campaign a wizard starts from: a segment's members, once, into a new audience. */
export const emptyCampaign: DraftCanvas = {
  name: 'Segment campaign',
  entry: { segment: { segmentId: '', runs: { kind: 'once' } } },
  firstStep: 'fb',
  steps: [
    {
      id: 'fb',
      kind: 'facebook_audience',
      name: 'Facebook audience',
      audience: { create: { name: '' } },
      action: 'add',
      matchKeys: ['EMAIL'],
      next: null,
    },
  ],
};

const stages = [
  ['who', 'Who'],
  ['what', 'What'],
  ['when', 'When'],
  ['review', 'Review and publish'],
] as const;
type Stage = (typeof stages)[number][0];

/** The wizard stage whose form shows a problem at this field. */
export function stageOf(home: string): Stage {
  if (/^\/entry\/(segment\/runs|schedule)(\/|$)/.test(home)) return 'when';
  if (/^\/(steps|firstStep)(\/|$)/.test(home)) return 'what';
  return 'who';
}

/** A sentence for the review: who enters, what happens, when. */
function summary(draft: DraftCanvas, segmentName: (id: string) => string): string[] {
  const entry = draft.entry ?? {};
  const step = draft.steps?.[0];
  const who = entry.segment
    ? `Members of “${segmentName(entry.segment.segmentId ?? '')}”`
    : `Users who do ${entry.trigger?.event ?? '—'}${entry.inSegment ? ` in “${segmentName(entry.inSegment)}”` : ''}`;
  const filters =
    Array.isArray(entry.filters) && entry.filters.length > 0
      ? `, with ${entry.filters.length} user-property filter(s)`
      : '';
  const control = entry.controlGroupPercent ? `; ${entry.controlGroupPercent} % held out as a control group` : '';
  const cap = entry.targetCap ? `; at most ${entry.targetCap} users` : '';
  const audience = step?.audience?.create
    ? `a new audience “${step.audience.create.name ?? ''}”`
    : step?.audience?.id
      ? `the existing audience ${step.audience.id}`
      : 'another step’s audience';
  const action = step?.followSegment
    ? 'kept equal to the segment in'
    : step?.action === 'remove'
      ? 'removed from'
      : 'added to';
  const adSets = step?.adSetIds?.length ? `, linked to ${step.adSetIds.length} ad set(s)` : '';
  const runs = entry.segment?.runs;
  const when = !entry.segment
    ? 'as they do the event'
    : runs?.kind === 'recurring'
      ? `every ${runs.every ?? '—'} at ${runs.time ?? '—'} (${runs.timeZone ?? '—'})`
      : runs?.kind === 'dates'
        ? `on ${Array.isArray(runs.at) ? runs.at.length : 0} date(s)`
        : typeof runs?.at === 'string'
          ? `once, at ${new Date(runs.at).toLocaleString()}`
          : 'once, at launch';
  return [
    `Who: ${who}${filters}${control}${cap}.`,
    `What: ${action} ${audience} by ${(step?.matchKeys ?? []).join(', ')}${adSets}.`,
    `When: ${when}.`,
  ];
}

/** CleverTap's campaign: Who → What → When → review and publish, producing an ordinary canvas. */
export function CampaignWizard() {
  const [text, setText] = useState(canvasText(emptyCampaign));
  const [stage, setStage] = useState<Stage>('who');
  const [errors, setErrors] = useState<string[]>([]);
  const [publishing, setPublishing] = useState(false);
  const segments = useSegments();
  const { problems, checking, errors: checkErrors } = useValidation(text, '/v1/canvases/validate');
  const draft = JSON.parse(text) as DraftCanvas;
  const change = (next: unknown) => setText(canvasText(next));
  const at = stages.findIndex(([key]) => key === stage);
  const problemCount = (key: Stage) => problems.filter((p) => stageOf(problemHome(p.path)) === key).length;
  const publish = () => {
    setErrors([]);
    setPublishing(true);
    (async () => {
      const canvas = await api<Canvas>('POST', '/v1/canvases', draft);
      try {
        await api('POST', `/v1/canvases/${canvas.id}/launch`);
      } finally {
        location.assign(`#/canvases/${canvas.id}`);
      }
    })()
      .catch((error: unknown) => setErrors(describeError(error)))
      .finally(() => setPublishing(false));
  };
  const segmentName = (id: string) => segments.find((s) => s.id === id)?.name ?? (id || '—');
  return (
    <section aria-labelledby="wizard-title" class="builder wizard">
      <h1 id="wizard-title">New segment campaign</h1>
      <ol class="wizard-steps" aria-label="Campaign steps">
        {stages.map(([key, label], i) => (
          <li key={key} aria-current={key === stage ? 'step' : undefined}>
            {i + 1}. {label}
            {key !== 'review' && problemCount(key) > 0 ? ` (${problemCount(key)} to fix)` : ''}
          </li>
        ))}
      </ol>
      <Errors messages={[...errors, ...checkErrors]} />
      <DraftProvider root={draft} replace={change} problems={problemsByHome(problems)} idPrefix="w">
        <div class="card">
          {stage === 'who' ? (
            <>
              <h2>Who</h2>
              <FieldProblems at="" />
              <TextField path={['name']} label="Campaign name" />
              <EntryForm sections="who" />
              <p class="hint">
                No segment yet? <a href="#/segments">Build one in Segments</a>, then come back.
              </p>
            </>
          ) : null}
          {stage === 'what' ? (
            <>
              <h2>What: the Facebook audience</h2>
              <FieldProblems at="/steps" />
              <FacebookStepForm path={['steps', 0]} />
            </>
          ) : null}
          {stage === 'when' ? (
            <>
              <h2>When</h2>
              <EntryForm sections="when" />
            </>
          ) : null}
          {stage === 'review' ? (
            <>
              <h2>Review</h2>
              <ul class="review" data-testid="campaign-summary">
                {summary(draft, segmentName).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              <ProblemSummary problems={problems} draft={draft} onShow={() => undefined} />
              {problems.length > 0 ? (
                <p>Fix them in the steps marked above; each problem is shown on its field there.</p>
              ) : null}
              <details>
                <summary>The canvas this campaign publishes (JSON)</summary>
                <pre class="json-preview">{text}</pre>
              </details>
            </>
          ) : null}
        </div>
      </DraftProvider>
      <div class="actions wizard-nav">
        <button type="button" class="add" disabled={at === 0} onClick={() => setStage(stages[at - 1]?.[0] ?? 'who')}>
          Back
        </button>
        {stage === 'review' ? (
          <button
            type="button"
            class="primary"
            disabled={checking || problems.length > 0 || publishing}
            onClick={publish}
          >
            {publishing ? 'Publishing…' : 'Publish and launch'}
          </button>
        ) : (
          <button type="button" class="primary" onClick={() => setStage(stages[at + 1]?.[0] ?? 'review')}>
            Next: {stages[at + 1]?.[1]}
          </button>
        )}
      </div>
    </section>
  );
}
