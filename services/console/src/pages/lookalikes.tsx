import type { Lookalike } from '../types.js';
import { TableHead } from './form-parts.js';

/** Where each status leaves a designer, in words. */
const said: Record<Lookalike['status'], string> = {
  not_launched: 'Asked for once this version is launched',
  waiting_for_source: 'Waiting for the audience to grow',
  creating: 'Being created at Meta',
  created: 'Created',
  refused: 'Refused by Meta; tried again later',
};

function metaSays(lookalike: Lookalike): string {
  const { meta } = lookalike;
  if (!meta) return lookalike.message ?? '—';
  const people =
    meta.approximateCount === null || meta.approximateCount < 0
      ? 'still populating'
      : `about ${meta.approximateCount.toLocaleString()} people`;
  return [meta.operationStatus?.description, people].filter(Boolean).join(' · ');
}

/** The lookalikes a canvas's Facebook steps ask for, and where each stands (decision 36). */
export function Lookalikes(props: { lookalikes: Lookalike[] }) {
  if (props.lookalikes.length === 0) return null;
  return (
    <table>
      <caption>Lookalike audiences</caption>
      <TableHead columns={['Step', 'Countries', 'Size', 'Status', 'Source audience', 'Meta says']} />
      <tbody>
        {props.lookalikes.map((l) => (
          <tr key={`${l.stepId}-${l.countries.join()}-${l.ratio}`}>
            <td>{l.stepId}</td>
            <td>{l.countries.join(', ')}</td>
            <td>{Math.round(l.ratio * 100)} %</td>
            <td data-testid={`lookalike-status-${l.stepId}`}>
              {said[l.status]}
              {l.name ? <div class="muted">{l.name}</div> : null}
            </td>
            <td>
              {l.sourceSize === null ? '—' : `${l.sourceSize < 0 ? 'no count yet' : `about ${l.sourceSize} people`}`}
            </td>
            <td>{l.status === 'created' ? metaSays(l) : (l.message ?? '—')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
