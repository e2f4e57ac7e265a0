import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import type { AdAccount } from '../types.js';
import { CreatedAudiences } from './created-audiences.js';
import { QuotaPlanPanel } from './quota-plan.js';
import { FacebookLoginPicker } from './facebook-login-picker.js';
import { TableHead, TokenInput } from './form-parts.js';
import { GraphApiVersion } from './graph-api-version.js';
import { Errors } from './sign-in.js';

const statusText = (a: AdAccount) =>
  a.status === 'connected' ? 'Connected' : a.status === 'disconnected' ? 'Disconnected' : 'Terms not accepted';

/**
 * CleverTap's Settings › Facebook: the workspace's ad accounts, connect, reconnect, default, delete.
 * Opened from a dry run (#/ad-accounts?account=act_…&dryRun=…), the account's quota plan is open
 * with that draft's load beside today's.
 */
export function AdAccounts(props: { dryRunId?: string | undefined; account?: string | undefined }) {
  const [accounts, setAccounts] = useState<AdAccount[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [form, setForm] = useState({ adAccountId: '', accessToken: '' });
  const [reconnecting, setReconnecting] = useState<{ id: string; token: string }>();
  const [loginId, setLoginId] = useState(new URLSearchParams(location.search).get('facebookLogin'));
  const load = async () => setAccounts((await api<{ data: AdAccount[] }>('GET', '/v1/ad-accounts')).data);
  const attempt = async (work: () => Promise<unknown>) => {
    setErrors([]);
    try {
      await work();
      await load();
    } catch (error) {
      setErrors(describeError(error));
    }
  };
  useEffect(() => void attempt(async () => undefined), []);

  const connect = (event: Event) => {
    event.preventDefault();
    void attempt(async () => {
      await api('POST', '/v1/ad-accounts', form);
      setForm({ adAccountId: '', accessToken: '' });
    });
  };
  const remove = (account: AdAccount) => {
    if (!confirm(`Delete the connection to ${account.name} (${account.adAccountId})?`)) return;
    void attempt(() => api('DELETE', `/v1/ad-accounts/${account.id}`));
  };
  const reconnect = (event: Event) => {
    event.preventDefault();
    if (!reconnecting) return;
    void attempt(async () => {
      await api('PUT', `/v1/ad-accounts/${reconnecting.id}/token`, { accessToken: reconnecting.token });
      setReconnecting(undefined);
    });
  };
  const facebookLogin = () =>
    void attempt(async () => {
      // the answer also sets the HttpOnly cookie that binds the login to this browser (same origin)
      const login = await api<{ authorizationUrl: string }>('POST', '/v1/facebook-login');
      location.assign(login.authorizationUrl);
    });

  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Ad accounts</h1>
      <GraphApiVersion />
      <Errors messages={errors} />
      {loginId ? (
        <FacebookLoginPicker
          loginId={loginId}
          onDone={() => {
            setLoginId(null);
            void attempt(async () => undefined);
          }}
        />
      ) : null}
      <table>
        <caption class="visually-hidden">Connected Meta ad accounts</caption>
        <TableHead columns={['Name', 'Account', 'Status', 'Token expires', 'Added on', 'Added by', 'Actions']} />
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-account={a.adAccountId}>
              <td>
                {a.name} {a.isDefault ? <span class="badge">Default</span> : null}
              </td>
              <td>{a.adAccountId}</td>
              <td>
                {statusText(a)}
                {a.tosUrl ? (
                  <>
                    {' '}
                    <a href={a.tosUrl} rel="noreferrer" target="_blank">
                      Accept the terms
                    </a>
                  </>
                ) : null}
                {a.tokenWarning ? <span class="warning"> Token {a.tokenWarning.replace('_', ' ')}</span> : null}
              </td>
              <td>{a.tokenExpiresAt ? new Date(a.tokenExpiresAt).toLocaleDateString() : 'Never'}</td>
              <td>{new Date(a.addedAt).toLocaleDateString()}</td>
              <td>{a.addedBy}</td>
              <td class="actions">
                {a.isDefault ? null : (
                  <button
                    type="button"
                    onClick={() => void attempt(() => api('POST', `/v1/ad-accounts/${a.id}/default`))}
                  >
                    Make default
                  </button>
                )}
                <button type="button" onClick={() => setReconnecting({ id: a.id, token: '' })}>
                  Reconnect
                </button>
                <button type="button" class="danger" onClick={() => remove(a)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {accounts.map((a) => (
        <CreatedAudiences key={a.id} accountId={a.id} accountName={a.name} />
      ))}
      {accounts
        .filter((a) => a.status === 'connected')
        .map((a) => (
          <QuotaPlanPanel
            key={`${a.id}-${props.dryRunId ?? ''}`}
            accountId={a.id}
            accountName={a.name}
            {...(props.dryRunId ? { dryRunId: props.dryRunId } : {})}
            open={props.account === a.adAccountId || (props.dryRunId !== undefined && props.account === undefined)}
          />
        ))}
      {reconnecting ? (
        <form class="connect" onSubmit={reconnect}>
          <label for="new-token">New access token</label>
          <TokenInput
            id="new-token"
            value={reconnecting.token}
            onValue={(token) => setReconnecting({ ...reconnecting, token })}
          />
          <button type="submit">Save token</button>
        </form>
      ) : null}
      <h2>Connect an ad account</h2>
      <form class="connect" onSubmit={connect}>
        <label for="ad-account-id">Ad account id</label>
        <input
          id="ad-account-id"
          required
          placeholder="act_1234567890"
          value={form.adAccountId}
          onInput={(e) => setForm({ ...form, adAccountId: e.currentTarget.value })}
        />
        <label for="access-token">Access token (system user, ads_management)</label>
        <TokenInput
          id="access-token"
          value={form.accessToken}
          onValue={(accessToken) => setForm({ ...form, accessToken })}
        />
        <button type="submit">Connect</button>
      </form>
      <p>
        Or{' '}
        <button type="button" onClick={facebookLogin}>
          Connect with Facebook
        </button>
      </p>
    </section>
  );
}
