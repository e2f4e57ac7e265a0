/** Where a line chart's lines and gridlines go, computed apart from drawing so it can be tested. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  bottom: number;
  top: number;
  right: number;
}

export interface ChartGeometry {
  max: number;
  ticks: number[];
  x: (index: number) => number;
  y: (value: number) => number;
  path: (values: readonly number[]) => string;
}

/** The smallest of 1, 2, 2.5, 5 × 10^n at or above the value, so gridlines read as round numbers. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function chartGeometry(box: ChartBox, points: number, lines: readonly (readonly number[])[]): ChartGeometry {
  const highest = Math.max(0, ...lines.flat());
  const max = niceCeiling(highest);
  const plotWidth = box.width - box.left - box.right;
  const plotHeight = box.height - box.top - box.bottom;
  const x = (index: number) => box.left + (points <= 1 ? plotWidth / 2 : (index * plotWidth) / (points - 1));
  const y = (value: number) => box.top + plotHeight - (value / max) * plotHeight;
  const round = (n: number) => Math.round(n * 10) / 10;
  const path = (values: readonly number[]) =>
    values.map((value, i) => `${i === 0 ? 'M' : 'L'}${round(x(i))},${round(y(value))}`).join(' ');
  return { max, ticks: [0, max / 4, max / 2, (3 * max) / 4, max], x, y, path };
}
