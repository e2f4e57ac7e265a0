import dagre from '@dagrejs/dagre';
import type { Step } from '../types.js';

export const nodeWidth = 200;
export const nodeHeight = 112;

export interface PlacedStep {
  step: Step;
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  label: string;
  points: { x: number; y: number }[];
}

/** Every edge leaving a step, with the branch or path it belongs to. */
export function edgesOf(step: Step): { to: string; label: string }[] {
  const edges: { to: string | null | undefined; label: string }[] = [];
  if (step.kind === 'delay' || step.kind === 'facebook_audience') edges.push({ to: step.next, label: '' });
  if (step.kind === 'audience_split') {
    step.branches?.forEach((b, i) => edges.push({ to: b.next, label: b.name ?? `branch ${i + 1}` }));
    edges.push({ to: step.else, label: 'else' });
  }
  if (step.kind === 'random_split') step.paths?.forEach((p) => edges.push({ to: p.next, label: `${p.percent} %` }));
  return edges.flatMap((e) => (e.to ? [{ to: e.to, label: e.label }] : []));
}

/** A layered layout, top to bottom, as Braze draws a canvas. */
export function layout(steps: Step[]): { nodes: PlacedStep[]; edges: PlacedEdge[]; width: number; height: number } {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 32, ranksep: 48, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(steps.map((s) => s.id));
  for (const step of steps) graph.setNode(step.id, { width: nodeWidth, height: nodeHeight });
  for (const step of steps)
    for (const [i, edge] of edgesOf(step).entries())
      if (ids.has(edge.to)) graph.setEdge(step.id, edge.to, { label: edge.label }, `${step.id}:${i}`);
  dagre.layout(graph);
  const nodes = steps.map((step) => {
    const node = graph.node(step.id) as { x: number; y: number };
    return { step, x: node.x - nodeWidth / 2, y: node.y - nodeHeight / 2 };
  });
  const edges = graph.edges().map((e) => {
    const data = graph.edge(e) as { label?: string; points: { x: number; y: number }[] };
    return { from: e.v, to: e.w, label: data.label ?? '', points: data.points };
  });
  const size = graph.graph() as { width?: number; height?: number };
  return { nodes, edges, width: size.width ?? nodeWidth, height: size.height ?? nodeHeight };
}
