import { useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { Errors } from './sign-in.js';

export interface QuotaPlan {
  adAccountId: string;
  quota: { perWindow: number; windowSeconds: number; capacityPerHour: number; source: 'sync' | 'formula' };
  recent: { hours: number; usersPerHour: number; requestsPerHour: number };
  draft: { dryRunId: string; version: number; usersPerHour: number; requestsPerHour: number } | null;
  backlog: { users: number; requests: number; oldestWaitSeconds: number };
  forecast: { usersPerHour: number; requestsPerHour: number; utilisation: number };
  drainSeconds: number | null;
  projectedDelaySeconds: number | null;
  retryWindowSeconds: number;
  retryLimitAtRisk: boolean;
  hoursUntilRetryLimit: number | null;
}

const whole = (n: number) => Math.round(n).toLocaleString();

/** A wait in the words a person uses. */
export function duration(seconds: number | null): string {
  if (seconds === null) return 'never (the load is above the quota)';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** One account's load on Meta's quota, read only when opened (decision 38). */
export function QuotaPlanPanel(props: { accountId: string; accountName: string }) {
  const [plan, setPlan] = useState<QuotaPlan>();
  const [errors, setErrors] = useState<string[]>([]);
  const open = (event: Event) => {
    if (!(event.currentTarget as HTMLDetailsElement).open || plan) return;
    api<QuotaPlan>('GET', `/v1/ad-accounts/${props.accountId}/quota-plan`).then(setPlan, (error: unknown) =>
      setErrors(describeError(error)),
    );
  };
  return (
    <details class="quota-plan" onToggle={open} data-quota-plan={props.accountId}>
      <summary>Meta quota plan for {props.accountName}</summary>
      <Errors messages={errors} />
      {!plan ? (
        errors.length ? null : (
          <p>Reading the load…</p>
        )
      ) : (
        <>
          {plan.retryLimitAtRisk ? (
            <p class="errors" role="alert" data-testid="quota-risk">
              {`Users risk the ${duration(plan.retryWindowSeconds)} retry limit: past it they end Errored ` +
                '(RETRY_WINDOW_OVER).'}
              {plan.hoursUntilRetryLimit === null
                ? ''
                : ` At this load a user would wait that long in ${plan.hoursUntilRetryLimit.toFixed(1)} h.`}
            </p>
          ) : null}
          <dl class="facts">
            <dt>Recently</dt>
            <dd data-metric="recent">
              {`${whole(plan.recent.usersPerHour)} user(s) an hour over the last ${plan.recent.hours} h, ` +
                `in ${whole(plan.recent.requestsPerHour)} request(s) an hour`}
            </dd>
            <dt>Quota</dt>
            <dd data-metric="quota">
              {`${whole(plan.forecast.requestsPerHour)} of ${whole(plan.quota.capacityPerHour)} request(s) an hour ` +
                `(${(plan.forecast.utilisation * 100).toFixed(1)} %; ` +
                `${plan.quota.source === 'sync' ? "Meta's recorded quota" : "Meta's formula"})`}
            </dd>
            <dt>Backlog</dt>
            <dd data-metric="backlog">
              {plan.backlog.users === 0
                ? 'Nobody waiting to be sent'
                : `${whole(plan.backlog.users)} user(s) waiting in ${whole(plan.backlog.requests)} request(s); ` +
                  `sent within ${duration(plan.drainSeconds)}`}
            </dd>
            <dt>Projected delay</dt>
            <dd data-metric="delay">{`A user handed off now waits ${duration(plan.projectedDelaySeconds)}`}</dd>
            {plan.draft ? (
              <>
                <dt>With the draft</dt>
                <dd>{`version ${plan.draft.version} adds ${whole(plan.draft.usersPerHour)} user(s) an hour`}</dd>
              </>
            ) : null}
          </dl>
          {plan.retryLimitAtRisk ? null : <p data-testid="quota-ok">Users stay well within the sync's retry limit.</p>}
        </>
      )}
    </details>
  );
}
