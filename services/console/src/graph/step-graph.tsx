import type { Step, StepNumbers } from '../types.js';
import { layout, nodeHeight, nodeWidth } from './layout.js';

const kindNames: Record<Step['kind'], string> = {
  delay: 'Delay',
  audience_split: 'Audience split',
  random_split: 'Random split',
  facebook_audience: 'Facebook Audience',
  exit: 'Exit',
};

/** Characters of a step's name that fit its box; the whole name is its tooltip. */
const titleLength = 22;

/** The lines a step shows: Braze's per-step numbers, and the sync's for a Facebook step. */
function numberLines(numbers: StepNumbers | undefined, projected: boolean): [string, number][] {
  if (!numbers) return [['Entered', 0]];
  const lines: [string, number][] = [
    ['Entered', numbers.entered],
    ['Proceeded', numbers.proceeded],
    ['Exited', numbers.exited],
  ];
  if (numbers.facebook)
    lines.push(
      ['Synced', numbers.facebook.synced],
      ['Not synced', numbers.facebook.notSynced],
      // a projection sends nothing: nothing pends or errs
      ...(projected
        ? []
        : ([
            ['Pending', numbers.facebook.pending],
            ['Errored', numbers.facebook.errored],
          ] as [string, number][])),
    );
  return lines;
}

/** The canvas as a graph of steps, each with its live numbers; names are text, never markup. */
export function StepGraph(props: {
  steps: Step[];
  numbers?: StepNumbers[] | undefined;
  /** A short warning per step id, drawn on its box (e.g. the reconciliation watch's drift). */
  badges?: Record<string, string> | undefined;
  /** The numbers are a dry run's projection, not live. */
  projected?: boolean | undefined;
}) {
  const { nodes, edges, width, height } = layout(props.steps);
  const byStep = new Map((props.numbers ?? []).map((n) => [n.stepId, n]));
  return (
    <svg
      class={props.projected ? 'graph graph-projected' : 'graph'}
      role="img"
      aria-label={`Canvas graph with ${props.steps.length} steps${props.projected ? ', projected numbers' : ''}`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" class="arrow" />
        </marker>
      </defs>
      {edges.map((e) => (
        <g key={`${e.from}-${e.to}-${e.label}`}>
          <polyline class="edge" points={e.points.map((p) => `${p.x},${p.y}`).join(' ')} marker-end="url(#arrow)" />
          {e.label && e.points[1] ? (
            <text class="edge-label" x={e.points[1].x + 6} y={e.points[1].y}>
              {e.label}
            </text>
          ) : null}
        </g>
      ))}
      {nodes.map(({ step, x, y }) => {
        const lines = props.numbers
          ? numberLines(byStep.get(step.id), props.projected ?? false).slice(
              0,
              step.kind === 'facebook_audience' ? 7 : 3,
            )
          : [];
        const title = step.name ?? step.id;
        return (
          <g key={step.id} class={`node node-${step.kind}`} data-step={step.id} transform={`translate(${x},${y})`}>
            <title>{title}</title>
            <rect width={nodeWidth} height={nodeHeight} rx="8" />
            <text class="node-title" x="10" y="18">
              {title.length > titleLength ? `${title.slice(0, titleLength - 1)}…` : title}
            </text>
            <text class="node-kind" x="10" y="33">
              {kindNames[step.kind]}
            </text>
            {props.badges?.[step.id] ? (
              <text class="node-badge" data-badge={step.id} x={nodeWidth - 8} y="33" text-anchor="end">
                {props.badges[step.id]}
              </text>
            ) : null}
            {lines.map(([label, value], i) => (
              <text
                key={label}
                class="node-number"
                data-metric={label}
                x={i < 4 ? 10 : 105}
                y={50 + (i < 4 ? i : i - 3) * 15}
              >
                {`${label}: ${value}`}
              </text>
            ))}
          </g>
        );
      })}
    </svg>
  );
}
