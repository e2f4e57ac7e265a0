import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { Errors } from './sign-in.js';

interface Login {
  id: string;
  status: string;
  failure: string | null;
  adAccounts: { adAccountId: string; name: string; connected: boolean }[];
}

/** Back from Facebook Login (?facebookLogin=<id>): pick which reachable accounts to connect. */
export function FacebookLoginPicker(props: { loginId: string; onDone: () => void }) {
  const [login, setLogin] = useState<Login>();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    api<Login>('GET', `/v1/facebook-login/${props.loginId}`)
      .then(setLogin)
      .catch((error: unknown) => setErrors(describeError(error)));
  }, [props.loginId]);
  const toggle = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const connect = (event: Event) => {
    event.preventDefault();
    api('POST', `/v1/facebook-login/${props.loginId}/connect`, { adAccountIds: [...picked] })
      .then(() => {
        history.replaceState(null, '', `${location.pathname}${location.hash}`);
        props.onDone();
      })
      .catch((error: unknown) => setErrors(describeError(error)));
  };
  if (!login) return <Errors messages={errors} />;
  if (login.status !== 'authorized')
    return <Errors messages={[`Facebook Login ${login.status}${login.failure ? `: ${login.failure}` : ''}`]} />;
  return (
    <form class="picker" onSubmit={connect} aria-labelledby="picker-title">
      <h2 id="picker-title">Ad accounts your Facebook login reaches</h2>
      <fieldset>
        <legend>Pick the accounts to connect</legend>
        {login.adAccounts.map((a) => (
          <div key={a.adAccountId}>
            <input
              type="checkbox"
              id={`pick-${a.adAccountId}`}
              checked={picked.has(a.adAccountId)}
              onChange={() => toggle(a.adAccountId)}
            />
            <label for={`pick-${a.adAccountId}`}>
              {a.name} ({a.adAccountId}){a.connected ? ' — connected; picking it reconnects it' : ''}
            </label>
          </div>
        ))}
      </fieldset>
      <button type="submit" disabled={picked.size === 0}>
        Connect {picked.size} account(s)
      </button>
      <Errors messages={errors} />
    </form>
  );
}
