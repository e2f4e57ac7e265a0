/** A sample shorter than this names no row: a few characters could begin many rows. */
const minimumSampleLength = 16;

export interface InvalidRow {
  /** Position of the row in the request's data. */
  index: number;
  /** What Meta said of it, when the sample carried a reason. */
  reason: string | null;
}

/**
 * The rows of a request that Meta's `invalid_entry_samples` names. Meta documents the field as
 * "JSON Array of String or Map" without saying what a key means; like other senders, a sample is
 * read as the offending row (its values joined by commas, perhaps cut short), and a map's value
 * as the reason. Rows no sample names stay unknown: Meta samples at most 100.
 */
export function invalidRows(samples: unknown, data: readonly (readonly string[])[]): InvalidRow[] {
  const named = new Map<string, string | null>();
  if (Array.isArray(samples)) {
    for (const sample of samples) if (typeof sample === 'string') named.set(sample, null);
  } else if (samples !== null && typeof samples === 'object') {
    for (const [sample, reason] of Object.entries(samples))
      named.set(sample, typeof reason === 'string' ? reason : null);
  }
  const usable = [...named.entries()].filter(([sample]) => sample.length >= minimumSampleLength);
  if (usable.length === 0) return [];
  const found: InvalidRow[] = [];
  data.forEach((row, index) => {
    const text = row.join(',');
    const hit = usable.find(([sample]) => text.startsWith(sample));
    if (hit) found.push({ index, reason: hit[1] });
  });
  return found;
}
