import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';

interface GraphApi {
  version: string;
  expiresOn: string | null;
  daysLeft: number | null;
}

/** One line: the Marketing API version in use and the days Meta keeps serving it. */
export function GraphApiVersion() {
  const [graphApi, setGraphApi] = useState<GraphApi>();
  useEffect(() => {
    api<{ graphApi: GraphApi }>('GET', '/v1/workspace').then(
      (w) => setGraphApi(w.graphApi),
      () => undefined,
    );
  }, []);
  if (!graphApi) return null;
  const expiring = graphApi.daysLeft !== null && graphApi.daysLeft <= 60;
  const left =
    graphApi.daysLeft === null
      ? 'no expiry date set by Meta'
      : `expires ${graphApi.expiresOn} (${graphApi.daysLeft} days left)`;
  return (
    <p
      data-testid="graph-api-version"
      role={expiring ? 'alert' : undefined}
      class={expiring ? 'notice warning' : 'notice'}
    >
      Marketing API {graphApi.version}: {left}
    </p>
  );
}
