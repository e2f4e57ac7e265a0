/** A segment-entry canvas's runs, newest first: who qualified, who entered, who was removed. */
export interface Run {
  scheduledAt: string;
  version: number;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  members: number;
  entered: number;
  removed: number;
}

const when = (iso: string | null) =>
  iso ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';

export function RunsTable(props: { nextRunAt: string | null; runs: Run[] }) {
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      <p>Next run: {when(props.nextRunAt)}</p>
      {props.runs.length === 0 ? (
        <p class="empty">No run yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Scheduled</th>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Finished</th>
              <th scope="col">Members</th>
              <th scope="col">Entered</th>
              <th scope="col">Removed</th>
            </tr>
          </thead>
          <tbody>
            {props.runs.map((run) => (
              <tr key={run.scheduledAt}>
                <td>{when(run.scheduledAt)}</td>
                <td>{run.version}</td>
                <td>{run.status}</td>
                <td>{when(run.finishedAt)}</td>
                <td>{run.members.toLocaleString()}</td>
                <td>{run.entered.toLocaleString()}</td>
                <td>{run.removed.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
