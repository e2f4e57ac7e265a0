import { useEffect, useState } from 'preact/hooks';
import { type DraftCanvas, type DraftStep } from '../builder/draft.js';
import { flowOf, type FlowExit, type FlowStep } from '../builder/flow.js';
import {
  addItem,
  allowedTargets,
  canInsert,
  cutOffBy,
  deleteStep,
  insertStep,
  moveItem,
  reconnect,
  removeItem,
  stepKindNames,
  stepKinds,
  type EdgeRef,
  type StepKind,
} from '../builder/graph-edit.js';
import { pointerOf, useDraft } from './draft-context.js';
import { FieldProblems } from './fields.js';
import { DelayStepForm, NameOnlyForm } from './steps/delay-step.js';
import { FacebookStepForm } from './steps/facebook-step.js';
import { BranchHead } from './steps/split-branch.js';

const stepName = (step: DraftStep) => (typeof step.name === 'string' && step.name ? step.name : step.id);
const edgePointer = (edge: EdgeRef, index: number | undefined) =>
  edge.stepId === null ? '/firstStep' : pointerOf(['steps', index ?? -1, ...edge.slot]);

interface FlowActions {
  draft: DraftCanvas;
  change: (draft: DraftCanvas, focus?: string) => void;
  indexOf: (id: string) => number;
}

/** "Add a step" on an edge: a menu of step kinds. */
function AddStep(props: { edge: EdgeRef; actions: FlowActions; label: string }) {
  const [open, setOpen] = useState(false);
  const kinds = stepKinds.filter((k) => canInsert(props.actions.draft, props.edge, k));
  const add = (kind: StepKind) => {
    const { draft, id } = insertStep(props.actions.draft, props.edge, kind);
    setOpen(false);
    props.actions.change(draft, id);
  };
  return (
    <div class="add-step">
      <button
        type="button"
        class="add-step-button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
        aria-label={`Add a step ${props.label}`}
      >
        + Add a step
      </button>
      {open ? (
        <ul class="add-menu" aria-label="Step kinds">
          {kinds.map((kind) => (
            <li key={kind}>
              <button
                type="button"
                class={`kind-${kind}`}
                onClick={() => add(kind)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') setOpen(false);
                }}
              >
                {stepKindNames[kind]}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The line between two steps: where it leads (reconnect), and "Add a step" on it. */
function Connector(props: { exit: FlowExit; actions: FlowActions }) {
  const { idFor } = useDraft();
  const { edge } = props.exit;
  const { draft, change, indexOf } = props.actions;
  const at = edgePointer(edge, edge.stepId === null ? undefined : indexOf(edge.stepId));
  const id = idFor(at);
  const target = props.exit.then?.step.id ?? props.exit.continues?.id ?? props.exit.missing ?? '';
  const options = allowedTargets(draft, edge);
  const from = edge.stepId === null ? undefined : draft.steps?.[indexOf(edge.stepId)];
  const where =
    from === undefined ? 'at the start' : `after “${stepName(from)}”${props.exit.label ? `, ${props.exit.label}` : ''}`;
  return (
    <div class="connector" data-field={at}>
      <span class="line" aria-hidden="true" />
      <div class="connector-controls">
        <label for={id}>{edge.stepId === null ? 'First step' : 'Then'}</label>
        <span class="visually-hidden" id={`${id}-where`}>
          {where}
        </span>
        <select
          id={id}
          aria-describedby={`${id}-where`}
          value={target}
          onChange={(e) => change(reconnect(draft, edge, e.currentTarget.value || null))}
        >
          <option value="">{edge.stepId === null ? '— none yet —' : 'End of journey'}</option>
          {target && !options.some((s) => s.id === target) ? <option value={target}>{target}</option> : null}
          {options.map((s) => (
            <option key={s.id} value={s.id}>
              {stepName(s)}
            </option>
          ))}
        </select>
        <AddStep edge={edge} actions={props.actions} label={where} />
      </div>
      <FieldProblems at={at} />
    </div>
  );
}

function ExitView(props: { exit: FlowExit; actions: FlowActions }) {
  const { exit } = props;
  return (
    <div class="flow-exit">
      <Connector exit={exit} actions={props.actions} />
      {exit.then ? (
        <StepBlock node={exit.then} actions={props.actions} />
      ) : exit.continues ? (
        <p class="flow-end">
          Continues to{' '}
          <a
            href={`#/step/${exit.continues.id}`}
            onClick={(e) => {
              e.preventDefault();
              document.getElementById(`step-${exit.continues?.id ?? ''}`)?.focus();
            }}
          >
            {stepName(exit.continues)}
          </a>
        </p>
      ) : exit.missing ? (
        <p class="flow-end">Leads to “{exit.missing}”, which is no step of this canvas</p>
      ) : (
        <p class="flow-end">End of journey</p>
      )}
    </div>
  );
}

function StepForm(props: { step: DraftStep; index: number }) {
  const path = ['steps', props.index];
  switch (props.step.kind) {
    case 'delay':
      return <DelayStepForm path={path} />;
    case 'facebook_audience':
      return <FacebookStepForm path={path} />;
    case 'audience_split':
    case 'random_split':
    case 'exit':
      return <NameOnlyForm path={path} />;
    default:
      return <p>A step of kind “{props.step.kind}”, which the builder does not know; edit it in the JSON tab.</p>;
  }
}

/** A step drawn on the journey as its form, with what follows it. */
function StepBlock(props: { node: FlowStep; actions: FlowActions }) {
  const { step, index, exits } = props.node;
  const { draft, change } = props.actions;
  const [collapsed, setCollapsed] = useState(false);
  const at = pointerOf(['steps', index]);
  const { problemsUnder } = useDraft();
  const list = step.kind === 'audience_split' ? 'branches' : step.kind === 'random_split' ? 'paths' : null;
  const remove = () => {
    const lost = cutOffBy(draft, step.id);
    if (lost.length > 0 && !confirm(`Delete “${stepName(step)}” and the ${lost.length} step(s) only it leads to?`))
      return;
    change(deleteStep(draft, step.id));
  };
  const kindName = stepKindNames[step.kind as StepKind] ?? step.kind;
  const problemCount = problemsUnder(at).length;
  return (
    <>
      <section
        class={`step-card kind-${step.kind}`}
        data-step={step.id}
        data-field={`${at} ${at}/id ${at}/kind`}
        aria-labelledby={`step-${step.id}-title`}
      >
        <header>
          <h3 id={`step-${step.id}-title`}>
            <span class="kind-label">{kindName}</span>{' '}
            <span tabIndex={-1} id={`step-${step.id}`} class="step-name">
              {stepName(step)}
            </span>
          </h3>
          <div class="actions">
            <button
              type="button"
              aria-expanded={!collapsed}
              onClick={() => setCollapsed(!collapsed)}
              aria-label={`${collapsed ? 'Show' : 'Hide'} the settings of ${stepName(step)}`}
            >
              {collapsed ? 'Show' : 'Hide'}
            </button>
            <button type="button" class="danger" onClick={remove} aria-label={`Delete step ${stepName(step)}`}>
              Delete
            </button>
          </div>
        </header>
        {collapsed && problemCount > 0 ? (
          <p class="field-problems">
            {problemCount} {problemCount === 1 ? 'problem' : 'problems'} in this step: show its settings to fix{' '}
            {problemCount === 1 ? 'it' : 'them'}.
          </p>
        ) : null}
        <FieldProblems at={at} />
        <FieldProblems at={`${at}/id`} />
        <FieldProblems at={`${at}/kind`} />
        {collapsed ? null : <StepForm step={step} index={index} />}
      </section>
      {list ? (
        <div
          class="branches"
          data-field={`${at}/${list}`}
          aria-label={`${list === 'branches' ? 'Branches' : 'Paths'} of ${stepName(step)}`}
          role="group"
        >
          <FieldProblems at={`${at}/${list}`} />
          {exits.map((exit, i) => (
            <div class="branch" key={`${i}-${exits.length}`}>
              {i < exits.length - (list === 'branches' ? 1 : 0) ? (
                <BranchHead
                  stepPath={['steps', index]}
                  list={list}
                  index={i}
                  count={exits.length - (list === 'branches' ? 1 : 0)}
                  onMove={(delta) => change(moveItem(draft, step.id, list, i, delta))}
                  onRemove={() => change(removeItem(draft, step.id, list, i))}
                />
              ) : (
                <div class="branch-head">
                  <p class="branch-else">Everyone else</p>
                </div>
              )}
              <ExitView exit={exit} actions={props.actions} />
            </div>
          ))}
          <div class="branch add-branch">
            <button type="button" class="add" onClick={() => change(addItem(draft, step.id, list))}>
              {list === 'branches' ? 'Add a branch' : 'Add a path'}
            </button>
          </div>
        </div>
      ) : (
        exits.map((exit, i) => <ExitView key={i} exit={exit} actions={props.actions} />)
      )}
    </>
  );
}

/** The journey as a flow of step forms from the entry down, with the steps nothing reaches after it. */
export function FlowView(props: { draft: DraftCanvas; onChange: (draft: DraftCanvas) => void }) {
  const [focus, setFocus] = useState<string>();
  const flow = flowOf(props.draft);
  const steps = Array.isArray(props.draft.steps) ? props.draft.steps : [];
  const actions: FlowActions = {
    draft: props.draft,
    change: (draft, focusId) => {
      props.onChange(draft);
      if (focusId) setFocus(focusId);
    },
    indexOf: (id) => steps.findIndex((s) => s.id === id),
  };
  useEffect(() => {
    if (!focus) return;
    document.getElementById(`step-${focus}`)?.focus();
    setFocus(undefined);
  }, [focus]);
  return (
    <div class="flow" role="group" aria-label="Journey steps">
      <FieldProblems at="/steps" />
      <ExitView exit={flow.start} actions={actions} />
      {flow.unconnected.length > 0 ? (
        <section class="unconnected" aria-labelledby="unconnected-title">
          <h2 id="unconnected-title">Not connected</h2>
          <p class="hint">
            No path from the entry reaches these steps: connect them with a “Then” above, or delete them.
          </p>
          {flow.unconnected.map((node) => (
            <StepBlock key={node.step.id} node={node} actions={actions} />
          ))}
        </section>
      ) : null}
    </div>
  );
}
