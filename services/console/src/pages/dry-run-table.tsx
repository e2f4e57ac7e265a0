import { quotaTime } from '../dry-run/projected.js';
import type { DryRun, DryRunStep } from '../dry-run/types.js';
import { TableHead } from './form-parts.js';

const branchText = (step: DryRunStep) =>
  (step.branches ?? []).map((b) => {
    const name = b.name ?? (b.index === null ? 'else' : `path ${b.index + 1}`);
    return `${name}${b.percent === null ? '' : ` (${b.percent} %)`}: ${b.users.toLocaleString()}`;
  });

/** A finished dry run's projection per step, in words and numbers. */
export function DryRunTable(props: { run: DryRun }) {
  const result = props.run.result;
  if (!result) return null;
  return (
    <>
      <p data-testid="dry-run-totals">
        {`${result.users.entered.toLocaleString()} user(s) would enter of ${result.users.replayed.toLocaleString()} ` +
          `with behaviour in the window; ${result.events.toLocaleString()} event(s) replayed.`}
      </p>
      {/* a wide table scrolls: the keyboard reaches it too */}
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Projected numbers per step">
        <table class="dry-run-table">
          <caption>Projected numbers per step</caption>
          <TableHead columns={['Step', 'Entered', 'Proceeded', 'Exited', 'Branches', 'Facebook', 'Sample users']} />
          <tbody>
            {result.steps.map((s) => (
              <tr key={s.stepId} data-dry-run-step={s.stepId}>
                <th scope="row">
                  {s.name ?? s.stepId}
                  <br />
                  <small>{s.stepId}</small>
                </th>
                <td data-metric="Entered">{s.entered}</td>
                <td data-metric="Proceeded">{s.proceeded}</td>
                <td data-metric="Exited">{s.exited}</td>
                <td>
                  {s.branches
                    ? branchText(s).map((line) => (
                        <span key={line} class="line">
                          {line}
                        </span>
                      ))
                    : '—'}
                </td>
                <td>
                  {s.facebook ? (
                    <>
                      <span class="line" data-metric="Synced">{`Would sync: ${s.facebook.synced}`}</span>
                      <span class="line" data-metric="Not synced">
                        {`Not synced: ${s.facebook.notSynced.total} (no usable identifier ` +
                          `${s.facebook.notSynced.noMatchKeys}, no consent ${s.facebook.notSynced.consent})`}
                      </span>
                      <span class="line" data-metric="Requests">
                        {`${s.facebook.requests} Meta request(s) to ${s.facebook.adAccountId ?? 'no account'}, ` +
                          `${quotaTime(s.facebook.quotaHours)} of its quota`}
                      </span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td class="samples">
                  {s.sampleUserIds.length
                    ? s.sampleUserIds.map((id) => (
                        <span key={id} class="sample">
                          {id}
                        </span>
                      ))
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.accounts.map((a) => (
        <p key={a.adAccountId} data-dry-run-account={a.adAccountId}>
          {`${a.adAccountId}: ${a.users.toLocaleString()} user(s) in ${a.requests.toLocaleString()} Meta request(s), ` +
            `${quotaTime(a.quotaHours)} at the account's quota (${Math.round(a.capacityPerHour).toLocaleString()} ` +
            `requests an hour); busiest hour ${a.usersPerHour.peak.toLocaleString()} users.`}
        </p>
      ))}
      {result.notes.length ? (
        <ul class="notes" aria-label="What the projection leaves out">
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
