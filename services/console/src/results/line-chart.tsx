import { chartGeometry } from './chart-geometry.js';
import { bucketLabel, metricLooks } from './series.js';

/** Lines that coincide stay tellable apart by their dashes. */
const dashes = ['', '7 4', '2 3', '9 3 2 3', '4 4'];

const box = { width: 640, height: 220, left: 48, right: 12, top: 12, bottom: 28 };

/** One step's metrics as lines over time, with the same numbers as a table for screen readers. */
export function LineChart(props: {
  title: string;
  buckets: string[];
  interval: 'hour' | 'day';
  timeZone: string;
  lines: { metric: string; values: number[] }[];
}) {
  const { buckets, lines, interval, timeZone } = props;
  const g = chartGeometry(
    box,
    buckets.length,
    lines.map((line) => line.values),
  );
  const labelAt = [0, Math.floor((buckets.length - 1) / 2), buckets.length - 1].filter(
    (index, i, all) => index >= 0 && all.indexOf(index) === i,
  );
  const summary = lines
    .map((line) => `${metricLooks[line.metric]?.label ?? line.metric} ${line.values.reduce((a, b) => a + b, 0)}`)
    .join(', ');
  return (
    <figure class="chart">
      <figcaption>
        <strong>{props.title}</strong>
        <ul class="legend">
          {lines.map((line) => (
            <li key={line.metric}>
              <span class="swatch" style={{ background: metricLooks[line.metric]?.colour }} aria-hidden="true" />
              {metricLooks[line.metric]?.label ?? line.metric}{' '}
              <strong>{line.values.reduce((a, b) => a + b, 0).toLocaleString()}</strong>
            </li>
          ))}
        </ul>
      </figcaption>
      <svg viewBox={`0 0 ${box.width} ${box.height}`} role="img" aria-label={`${props.title}: ${summary}`}>
        {g.ticks.map((tick) => (
          <g key={tick}>
            <line x1={box.left} x2={box.width - box.right} y1={g.y(tick)} y2={g.y(tick)} class="grid" />
            <text x={box.left - 6} y={g.y(tick) + 4} text-anchor="end" class="tick">
              {Number.isInteger(tick) ? tick.toLocaleString() : ''}
            </text>
          </g>
        ))}
        {labelAt.map((index) => (
          <text
            key={index}
            x={g.x(index)}
            y={box.height - 8}
            text-anchor={index === 0 ? 'start' : index === buckets.length - 1 ? 'end' : 'middle'}
            class="tick"
          >
            {bucketLabel(buckets[index] ?? '', interval, timeZone)}
          </text>
        ))}
        {lines.map((line, i) => (
          <path
            key={line.metric}
            d={g.path(line.values)}
            class="line"
            stroke={metricLooks[line.metric]?.colour}
            stroke-dasharray={dashes[i % dashes.length]}
          />
        ))}
      </svg>
      <details>
        <summary>Numbers as a table</summary>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{interval === 'hour' ? 'Hour' : 'Day'}</th>
                {lines.map((line) => (
                  <th key={line.metric} scope="col">
                    {metricLooks[line.metric]?.label ?? line.metric}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {buckets.map((bucket, i) => (
                <tr key={bucket}>
                  <th scope="row">{bucketLabel(bucket, interval, timeZone)}</th>
                  {lines.map((line) => (
                    <td key={line.metric}>{line.values[i] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
