import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api.js';
import { Errors } from './sign-in.js';
import { duration, percent, riskText, upTo, whole, type QuotaPlan } from './quota-words.js';

const planPath = (accountId: string, dryRunId?: string) =>
  `/v1/ad-accounts/${accountId}/quota-plan${dryRunId ? `?dryRunId=${dryRunId}` : ''}`;

/** The wait now and after the busiest hour, said once when both are without end. */
const delayText = (p: QuotaPlan) =>
  p.projectedDelaySeconds === null
    ? duration(null)
    : `${duration(p.projectedDelaySeconds)}; after its busiest hour, ${upTo(p.peakDelaySeconds)}`;

/** The draft's figure beside today's, on a line of its own. */
function WithDraft(props: { plan: QuotaPlan | undefined; metric: string; text: (plan: QuotaPlan) => string }) {
  const { plan } = props;
  if (!plan?.draft) return null;
  return (
    <span class="with-draft" data-draft-metric={props.metric}>
      {`With draft v ${plan.draft.version}: ${props.text(plan)}`}
    </span>
  );
}

/**
 * One account's load on Meta's quota, read only when opened (decision 38). With a finished dry
 * run, the forecast with that draft's load stands next to today's.
 */
export function QuotaPlanPanel(props: { accountId: string; accountName: string; dryRunId?: string; open?: boolean }) {
  const [plan, setPlan] = useState<QuotaPlan>();
  const [draft, setDraft] = useState<QuotaPlan>();
  const [errors, setErrors] = useState<string[]>([]);
  const load = () => {
    if (plan) return;
    const failed = (error: unknown) => setErrors(describeError(error));
    api<QuotaPlan>('GET', planPath(props.accountId)).then(setPlan, failed);
    if (props.dryRunId) api<QuotaPlan>('GET', planPath(props.accountId, props.dryRunId)).then(setDraft, failed);
  };
  useEffect(() => {
    if (props.open) load();
  }, []);
  const toggled = (event: Event) => {
    if ((event.currentTarget as HTMLDetailsElement).open) load();
  };
  return (
    <details class="quota-plan" open={props.open} onToggle={toggled} data-quota-plan={props.accountId}>
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
              {riskText(plan)}
            </p>
          ) : null}
          {draft?.draft && draft.retryLimitAtRisk && !plan.retryLimitAtRisk ? (
            <p class="errors" role="alert" data-testid="quota-risk-draft">
              {riskText(draft, `With draft v ${draft.draft.version}, users`)}
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
                `(${percent(plan.forecast.utilisation)}; ` +
                `${plan.quota.source === 'sync' ? "Meta's recorded quota" : "Meta's formula"})`}
              <WithDraft
                plan={draft}
                metric="quota"
                text={(p) =>
                  `${whole(p.forecast.requestsPerHour)} request(s) an hour (${percent(p.forecast.utilisation)}), ` +
                  `busiest hour ${percent(p.forecast.peakUtilisation)}`
                }
              />
            </dd>
            <dt>Backlog</dt>
            <dd data-metric="backlog">
              {plan.backlog.users === 0
                ? 'Nobody waiting to be sent'
                : `${whole(plan.backlog.users)} user(s) waiting in ${whole(plan.backlog.requests)} request(s); ` +
                  (plan.drainSeconds === null
                    ? 'never all sent at this load'
                    : `sent within ${duration(plan.drainSeconds)}`)}
            </dd>
            <dt>Projected delay</dt>
            <dd data-metric="delay">
              {`A user handed off now waits ${duration(plan.projectedDelaySeconds)}`}
              <WithDraft plan={draft} metric="delay" text={(p) => `a user waits ${delayText(p)}`} />
            </dd>
            {draft?.draft ? (
              <>
                <dt>The draft adds</dt>
                <dd data-draft-metric="adds">
                  {`${whole(draft.draft.usersPerHour)} user(s) in ${whole(draft.draft.requestsPerHour)} ` +
                    `request(s) an hour (version ${draft.draft.version}, from its dry run)`}
                </dd>
              </>
            ) : null}
          </dl>
          {plan.retryLimitAtRisk || draft?.retryLimitAtRisk ? null : (
            <p data-testid="quota-ok">Users stay well within the sync's retry limit.</p>
          )}
        </>
      )}
    </details>
  );
}
