/** What a launch answered without refusing it (e.g. quota_at_risk). */
export interface LaunchWarning {
  code: string;
  adAccountId: string;
  steps: string[];
  message: string;
  hint: string;
}

/** The launch's warnings in words, read out when they appear. */
export function LaunchWarnings(props: { warnings: LaunchWarning[] }) {
  if (props.warnings.length === 0) return null;
  return (
    <div class="notice warning" role="status" data-testid="launch-warnings">
      <strong>Launched, with a warning:</strong>
      <ul>
        {props.warnings.map((w) => (
          <li key={`${w.code}-${w.adAccountId}`}>
            {w.adAccountId} (steps {w.steps.join(', ')}): {w.message} {w.hint}
          </li>
        ))}
      </ul>
    </div>
  );
}
