import { useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { TableHead } from './form-parts.js';
import { Errors } from './sign-in.js';

interface CreatedAudience {
  audienceId: string;
  name: string | null;
  canvasId: string;
  canvasName: string;
  steps: string[];
  size: { lowerBound: number; upperBound: number } | null;
  deliveryStatus: { code: number; description: string | null } | null;
  operationStatus: { code: number; description: string | null } | null;
  health: { problem: 'flagged' | 'not_sac_eligible'; message: string }[];
  metaError: string | null;
}

const sizeText = (size: CreatedAudience['size']) =>
  !size
    ? '—'
    : size.lowerBound < 0
      ? 'not counted yet'
      : size.lowerBound === size.upperBound
        ? size.lowerBound.toLocaleString()
        : `${size.lowerBound.toLocaleString()}–${size.upperBound.toLocaleString()}`;

const healthText: Record<CreatedAudience['health'][number]['problem'], string> = {
  flagged: 'Flagged by Meta: members cannot change',
  not_sac_eligible: 'Not for housing, employment or credit campaigns',
};

/** One account's audiences that canvases created, read from Meta only when opened. */
export function CreatedAudiences(props: { accountId: string; accountName: string }) {
  const [audiences, setAudiences] = useState<CreatedAudience[]>();
  const [errors, setErrors] = useState<string[]>([]);
  const open = (event: Event) => {
    if (!(event.currentTarget as HTMLDetailsElement).open || audiences) return;
    api<{ data: CreatedAudience[] }>('GET', `/v1/ad-accounts/${props.accountId}/created-audiences`).then(
      (answer) => setAudiences(answer.data),
      (error: unknown) => setErrors(describeError(error)),
    );
  };
  return (
    <details class="created-audiences" onToggle={open} data-created-audiences={props.accountId}>
      <summary>Audiences canvases created in {props.accountName}</summary>
      <Errors messages={errors} />
      {!audiences ? (
        errors.length ? null : (
          <p>Reading sizes from Meta…</p>
        )
      ) : audiences.length === 0 ? (
        <p class="empty">No canvas has created an audience in this account yet.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <TableHead columns={['Audience', 'Canvas', 'Size (Meta)', 'Meta status', 'Health']} />
            <tbody>
              {audiences.map((a) => (
                <tr key={a.audienceId}>
                  <td>
                    {a.name ?? a.audienceId}
                    <br />
                    <small>{a.audienceId}</small>
                  </td>
                  <td>
                    <a href={`#/canvases/${a.canvasId}`}>{a.canvasName}</a>
                    <br />
                    <small>steps {a.steps.join(', ')}</small>
                  </td>
                  <td>{sizeText(a.size)}</td>
                  <td>
                    {a.metaError ??
                      a.operationStatus?.description ??
                      a.deliveryStatus?.description ??
                      (a.deliveryStatus ? `code ${a.deliveryStatus.code}` : '—')}
                  </td>
                  <td>
                    {a.health.length === 0
                      ? 'No problem reported'
                      : a.health.map((h) => (
                          <span key={h.problem} class="warning" title={h.message}>
                            {healthText[h.problem]}
                          </span>
                        ))}
                    {a.operationStatus?.code === 471 && !a.health.some((h) => h.problem === 'flagged') ? (
                      <span class="warning">{healthText.flagged}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
