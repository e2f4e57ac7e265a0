import { hintInWords } from './hint-words.js';

/** What a launch answered without refusing it (e.g. quota_at_risk). */
export interface LaunchWarning {
  code: string;
  adAccountId: string;
  steps: string[];
  dryRunId: string | null;
  message: string;
  hint: string;
}

/** The accounts page with this account's quota plan open, the draft's load added when a dry run was done. */
export const quotaPlanLink = (adAccountId: string, dryRunId: string | null) =>
  `#/ad-accounts?account=${encodeURIComponent(adAccountId)}${dryRunId ? `&dryRun=${dryRunId}` : ''}`;

// the API's message starts with the account id (act_…), which stays as Meta writes it
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The launch's warnings in words, read out when they appear. */
export function LaunchWarnings(props: { warnings: LaunchWarning[]; stepName: (id: string) => string }) {
  if (props.warnings.length === 0) return null;
  return (
    <div class="notice warning launch-warnings" role="status" data-testid="launch-warnings">
      <strong>Launched, with a warning:</strong>
      <ul>
        {props.warnings.map((w) => (
          <li key={`${w.code}-${w.adAccountId}`}>
            {sentence(w.message)} {`Steps: ${w.steps.map(props.stepName).join(', ')}. `}
            {hintInWords(w.code, w.hint)}{' '}
            {w.code === 'quota_at_risk' ? (
              <a href={quotaPlanLink(w.adAccountId, w.dryRunId)}>See the quota plan</a>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
