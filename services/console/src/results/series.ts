/** The shape of GET /v1/canvases/{id}/analytics/series, and how its metrics are named and coloured. */
export interface SeriesAnswer {
  interval: 'hour' | 'day';
  timeZone: string;
  buckets: string[];
  series: { stepId: string; metric: string; values: number[] }[];
}

export const metricLooks: Record<string, { label: string; colour: string }> = {
  entered: { label: 'Entered', colour: '#0b57d0' },
  proceeded: { label: 'Proceeded', colour: '#7b1fa2' },
  exited: { label: 'Exited', colour: '#5f6368' },
  converted: { label: 'Converted', colour: '#00796b' },
  synced: { label: 'Synced', colour: '#188038' },
  not_synced: { label: 'Not synced', colour: '#b06000' },
  errored: { label: 'Errored', colour: '#a50e0e' },
  removed: { label: 'Removed (left the segment)', colour: '#3c4043' },
  removed_synced: { label: 'Removals synced', colour: '#81c995' },
};

export function bucketLabel(iso: string, interval: 'hour' | 'day', timeZone: string): string {
  const options: Intl.DateTimeFormatOptions =
    interval === 'hour'
      ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }
      : { month: 'short', day: 'numeric', timeZone };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
}
