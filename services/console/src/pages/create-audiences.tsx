import { useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { Errors } from './sign-in.js';

interface DraftAudience {
  stepId: string;
  adAccountId: string;
  audienceId: string;
  audienceName: string | null;
  created: boolean;
}

/** Braze's "Create Audience": a draft's audiences made in Meta before the launch. */
export function CreateAudiences(props: { canvasId: string }) {
  const [made, setMade] = useState<DraftAudience[]>();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const create = () => {
    setErrors([]);
    setBusy(true);
    api<{ audiences: DraftAudience[] }>('POST', `/v1/canvases/${props.canvasId}/audiences`)
      .then((answer) => setMade(answer.audiences))
      .catch((error: unknown) => setErrors(describeError(error)))
      .finally(() => setBusy(false));
  };
  return (
    <div class="create-audiences">
      <button type="button" onClick={create} disabled={busy}>
        Create audiences
      </button>
      <Errors messages={errors} />
      {made ? (
        <ul role="status" data-testid="created-audiences">
          {made.length === 0 ? <li>This version has no Facebook step.</li> : null}
          {made.map((a) => (
            <li key={a.stepId}>
              {`Step ${a.stepId}: ${a.audienceName ?? a.audienceId} (${a.audienceId}) in ${a.adAccountId}, `}
              {a.created ? 'made by this canvas' : 'an existing audience'}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
