import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { LineChart } from '../results/line-chart.js';
import { RunsTable, type Run } from '../results/runs-table.js';
import type { SeriesAnswer } from '../results/series.js';
import { VersionCompare } from '../results/version-compare.js';
import type { Canvas } from '../types.js';
import { Errors } from './sign-in.js';

const ranges = {
  day: { label: 'Last 24 hours, by hour', hours: 24, interval: 'hour' },
  week: { label: 'Last 7 days, by day', hours: 7 * 24, interval: 'day' },
  month: { label: 'Last 30 days, by day', hours: 30 * 24, interval: 'day' },
} as const;
type Range = keyof typeof ranges;

const canvasLevel = '$canvas';
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** A canvas's numbers over time, its runs, and its versions side by side. */
export function CanvasResults(props: { id: string }) {
  const [canvas, setCanvas] = useState<Canvas>();
  const [range, setRange] = useState<Range>('day');
  const [answer, setAnswer] = useState<SeriesAnswer>();
  const [runs, setRuns] = useState<{ nextRunAt: string | null; data: Run[] }>();
  const [versions, setVersions] = useState<{ version: number; state: string }[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    const fail = (error: unknown) => setErrors(describeError(error));
    api<Canvas>('GET', `/v1/canvases/${props.id}`).then(setCanvas, fail);
    api<{ nextRunAt: string | null; data: Run[] }>('GET', `/v1/canvases/${props.id}/runs`).then(setRuns, fail);
    api<{ data: { version: number; state: string }[] }>('GET', `/v1/canvases/${props.id}/versions`).then(
      (listed) => setVersions([...listed.data].sort((a, b) => b.version - a.version)),
      fail,
    );
  }, [props.id]);
  useEffect(() => {
    const { hours, interval } = ranges[range];
    // the current hour or day is the last bucket
    const to = new Date();
    const from = new Date(to.getTime() - hours * 3_600_000);
    const query = new URLSearchParams({
      from: from.toISOString(),
      to: to.toISOString(),
      interval,
      timeZone: browserZone(),
    });
    api<SeriesAnswer>('GET', `/v1/canvases/${props.id}/analytics/series?${query.toString()}`).then(setAnswer, (e) =>
      setErrors(describeError(e)),
    );
  }, [props.id, range]);

  const stepName = (stepId: string) => {
    if (stepId === canvasLevel) return 'Whole canvas';
    const step = canvas?.definition?.steps.find((s) => s.id === stepId);
    return step?.name ?? stepId;
  };
  const order = [canvasLevel, ...(canvas?.definition?.steps.map((s) => s.id) ?? [])];
  const byStep = new Map<string, SeriesAnswer['series']>();
  for (const line of answer?.series ?? []) byStep.set(line.stepId, [...(byStep.get(line.stepId) ?? []), line]);
  const charted = [...byStep.keys()].sort((a, b) => {
    const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
    return rank(a) - rank(b);
  });
  const segmentEntry = Boolean((canvas?.definition as { entry?: { segment?: unknown } } | undefined)?.entry?.segment);
  return (
    <section aria-labelledby="results-title">
      <p>
        <a href={`#/canvases/${props.id}`}>← Back to the canvas</a>
      </p>
      <h1 id="results-title">{canvas ? `${canvas.name}: results` : 'Results'}</h1>
      <Errors messages={errors} />
      <label for="results-range">Period</label>{' '}
      <select id="results-range" value={range} onChange={(e) => setRange(e.currentTarget.value as Range)}>
        {Object.entries(ranges).map(([key, r]) => (
          <option key={key} value={key}>
            {r.label}
          </option>
        ))}
      </select>
      {answer ? <span class="hint"> Times in {answer.timeZone}.</span> : null}
      {answer && charted.length === 0 ? <p class="empty">Nothing happened in this period.</p> : null}
      <div class="charts">
        {answer
          ? charted.map((stepId) => (
              <LineChart
                key={stepId}
                title={stepName(stepId)}
                buckets={answer.buckets}
                interval={answer.interval}
                timeZone={answer.timeZone}
                lines={byStep.get(stepId) ?? []}
              />
            ))
          : null}
      </div>
      {segmentEntry && runs ? <RunsTable nextRunAt={runs.nextRunAt} runs={runs.data} /> : null}
      <VersionCompare canvasId={props.id} versions={versions} />
    </section>
  );
}
