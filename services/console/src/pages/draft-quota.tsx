import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import type { DryRun } from '../dry-run/types.js';
import type { AdAccount } from '../types.js';
import { quotaPlanLink } from './launch-warnings.js';
import { duration, percent, upTo, whole, type QuotaPlan } from './quota-words.js';
import { Errors } from './sign-in.js';

interface Forecast {
  account: AdAccount;
  today: QuotaPlan;
  withDraft: QuotaPlan;
}

/** Today's load and the load with this draft, for each ad account its Facebook steps would send to. */
export function DraftQuota(props: { run: DryRun }) {
  const [forecasts, setForecasts] = useState<Forecast[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const used = (props.run.result?.accounts ?? []).map((a) => a.adAccountId);
  useEffect(() => {
    if (used.length === 0) return;
    const read = async () => {
      const accounts = (await api<{ data: AdAccount[] }>('GET', '/v1/ad-accounts')).data;
      const plan = (a: AdAccount, dryRun = '') =>
        api<QuotaPlan>('GET', `/v1/ad-accounts/${a.id}/quota-plan${dryRun ? `?dryRunId=${dryRun}` : ''}`);
      return Promise.all(
        accounts
          .filter((a) => used.includes(a.adAccountId))
          .map(async (account) => ({
            account,
            today: await plan(account),
            withDraft: await plan(account, props.run.id),
          })),
      );
    };
    read().then(setForecasts, (error: unknown) => setErrors(describeError(error)));
  }, [props.run.id]);
  if (used.length === 0) return null;
  return (
    <section class="draft-quota" aria-labelledby="draft-quota-title">
      <h3 id="draft-quota-title">Meta quota with this draft</h3>
      <Errors messages={errors} />
      {forecasts.length === 0 && errors.length === 0 ? <p>Reading the accounts' load…</p> : null}
      <ul>
        {forecasts.map(({ account, today, withDraft }) => (
          <li
            key={account.id}
            class={withDraft.retryLimitAtRisk ? 'at-risk' : undefined}
            data-draft-quota={account.adAccountId}
          >
            <strong>{`${account.name} (${account.adAccountId})`}</strong>
            <span class="line" data-metric="today">
              {`Today: ${whole(today.forecast.requestsPerHour)} of ${whole(today.quota.capacityPerHour)} ` +
                `request(s) an hour (${percent(today.forecast.utilisation)}); a user waits ` +
                duration(today.projectedDelaySeconds)}
            </span>
            <span class="line" data-metric="with-draft">
              {`With draft v ${props.run.version}` +
                // the planner takes the canvas's own running load out: the draft would replace it
                (today.recent.canvases.some((c) => c.canvasId === props.run.canvasId)
                  ? ' (in place of the running version)'
                  : '') +
                `: ${whole(withDraft.forecast.requestsPerHour)} request(s) an hour ` +
                `(${percent(withDraft.forecast.utilisation)}), busiest hour ` +
                `${percent(withDraft.forecast.peakUtilisation)}; a user waits ${upTo(withDraft.peakDelaySeconds)}`}
            </span>
            <span class="line verdict">
              {withDraft.retryLimitAtRisk
                ? `⚠ Users would risk the ${duration(withDraft.retryWindowSeconds)} retry limit: ` +
                  'launching warns, or is refused if the workspace blocks launches at risk.'
                : "Users stay well within the sync's retry limit."}{' '}
              <a href={quotaPlanLink(account.adAccountId, props.run.id)}>Open the quota plan</a>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
