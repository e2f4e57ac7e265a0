import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../support/accessibility.ts';
import { sql } from 'kysely';
import {
  dryRunShoppers,
  shopperMessages,
  twoBranchCanvas,
  useEndToEnd,
  waitFor,
  type EndToEnd,
  type RunningSystem,
} from '@canvas/test-support';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = new URL('../../test-results/console/', import.meta.url);
const hour = 3_600_000;

interface QuotaPlan {
  quota: { capacityPerHour: number; source: string };
  draft: { version: number; requestsPerHour: number } | null;
  forecast: { requestsPerHour: number; utilisation: number; peakUtilisation: number };
  retryLimitAtRisk: boolean;
}

describe("the console's launch warnings and a draft's load on Meta's quota, in a real Chromium", () => {
  // Meta's quota for the account as the sync applies it (and records it for the planner): two calls an hour
  const e2e = useEndToEnd('e2e-console-quota', { env: { META_QUOTA_PER_HOUR: '2' } });
  let system: RunningSystem;
  let browser: Browser;
  let designer: ReturnType<EndToEnd['designer']>;
  let connectionId: string;
  const browserErrors: string[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    system = e2e.system;
    designer = e2e.designer('Quota shop');
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    mkdirSync(screenshots, { recursive: true });
    expect(await designer.connectAccount()).toBe(201);
    const listed = await designer.call<{ data: { id: string }[] }>('GET', '/v1/ad-accounts');
    connectionId = listed.body.data[0]!.id;
    // the sync took the account and recorded how it works it: the planner forecasts with that quota
    await waitFor(
      async () =>
        (await designer.call<QuotaPlan>('GET', `/v1/ad-accounts/${connectionId}/quota-plan`)).body.quota.source ===
        'sync',
      { what: "the sync's recorded quota", timeoutMs: 30_000, intervalMs: 250 },
    );
    // 300 shoppers' behaviour over the last six hours, 18 s apart: the history a dry run replays
    const users = dryRunShoppers(300, 4, new Date(Date.now() - 6 * hour), 18_000);
    const messages = shopperMessages(users, designer.workspaceId, 1500);
    await e2e.producer.send({ topic: e2e.topic, messages });
    await waitFor(
      async () => {
        const row = await sql<{ n: string }>`
          SELECT count(*) AS n FROM user_events WHERE workspace_id = ${designer.workspaceId}`.execute(e2e.database.db);
        return Number(row.rows[0]!.n) === 1200;
      },
      { what: 'the 1,200 track events kept in the history', timeoutMs: 60_000, intervalMs: 250 },
    );
  });
  afterAll(async () => {
    await browser?.close();
  });

  const openTab = async () => {
    // axe is injected as a script, which the console's own policy would refuse
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) browserErrors.push(m.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400)
        failedRequests.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
    });
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await page.goto(`${system.api.url}/console/`);
    await page.getByLabel('API key').fill(designer.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Canvases' }).waitFor();
    return page;
  };
  const shot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: new URL(`${name}.png`, screenshots).pathname, fullPage });
  const whole = (n: number) => Math.round(n).toLocaleString('en-US');

  /** A draft of the two-branch canvas, opened in the console and dry-run over the last day there. */
  const draftDryRun = async (page: Page, name: string) => {
    const created = await designer.call<{ id: string }>('POST', '/v1/canvases', twoBranchCanvas(name));
    expect(created.status).toBe(201);
    await page.goto(`${system.api.url}/console/#/canvases/${created.body.id}/dry-run`);
    await page.getByLabel('Window').selectOption('1');
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    await page.getByTestId('dry-run-status').filter({ hasText: /^Done/ }).waitFor({ timeout: 60_000 });
    const runs = await designer.call<{ data: { id: string }[] }>('GET', `/v1/canvases/${created.body.id}/dry-runs`);
    return { canvasId: created.body.id, dryRunId: runs.body.data[0]!.id };
  };

  it("shows each account's forecast with the draft, warns at launch and launches, then refuses when told", async () => {
    const page = await openTab();
    const account = `act_${system.adAccountId}`;
    const { canvasId, dryRunId } = await draftDryRun(page, 'Busy carts');

    // the dry-run panel: today's load and the load with this draft, as the planner answers them
    const today = (await designer.call<QuotaPlan>('GET', `/v1/ad-accounts/${connectionId}/quota-plan`)).body;
    const planned = (
      await designer.call<QuotaPlan>('GET', `/v1/ad-accounts/${connectionId}/quota-plan?dryRunId=${dryRunId}`)
    ).body;
    expect(planned.draft?.version).toBe(1);
    expect(planned.retryLimitAtRisk).toBe(true);
    const forecast = page.locator(`[data-draft-quota="${account}"]`);
    await expect(forecast.locator('[data-metric="today"]').textContent()).resolves.toContain(
      `Today: ${whole(today.forecast.requestsPerHour)} of ${whole(today.quota.capacityPerHour)} request(s) an hour`,
    );
    await expect(forecast.locator('[data-metric="with-draft"]').textContent()).resolves.toContain(
      `With draft v 1: ${whole(planned.forecast.requestsPerHour)} request(s) an hour`,
    );
    await forecast.getByText(/Users would risk the 13 h retry limit/).waitFor();
    await forecast.scrollIntoViewIfNeeded();
    await shot(page, 'canvas-dry-run-quota');

    // launch: answered with a warning in words, and running
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.locator('[data-testid="canvas-status"]', { hasText: 'running' }).waitFor();
    const warning = page.getByTestId('launch-warnings');
    const warned = await warning.textContent();
    expect(warned).toContain(`${account} would carry`);
    expect(warned).toContain('13-hour retry window');
    expect(warned).toContain('Steps: fb_us, fb_rest.');
    expect(warned).toContain('Spread the load over other accounts or steps, or launch later.');
    expect(warned).not.toMatch(/\/v1\//);
    expect((await designer.call<{ status: string }>('GET', `/v1/canvases/${canvasId}`)).body.status).toBe('running');
    await page.evaluate('scrollTo(0, 0)');
    await shot(page, 'canvas-launch-warning', false);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // the warning's link: the accounts page with the plan open, the draft's figures beside today's
    await warning.getByRole('link', { name: 'See the quota plan' }).click();
    const panel = page.locator(`[data-quota-plan="${connectionId}"]`);
    const withDraft = panel.locator('[data-draft-metric="quota"]');
    await withDraft.waitFor();
    expect(await withDraft.textContent()).toBe(
      `With draft v 1: ${whole(planned.forecast.requestsPerHour)} request(s) an hour ` +
        `(${Math.round(planned.forecast.utilisation * 100).toLocaleString('en-US')} %), busiest hour ` +
        `${Math.round(planned.forecast.peakUtilisation * 100).toLocaleString('en-US')} %`,
    );
    await panel.getByTestId('quota-risk-draft').waitFor();
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'ad-accounts-quota-draft');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // the workspace refuses launches at risk: the refusal in the problem's words, on the steps by name
    const settings = await designer.call<{ blockLaunchOnQuotaRisk: boolean }>('PATCH', '/v1/workspace', {
      blockLaunchOnQuotaRisk: true,
    });
    expect(settings.body.blockLaunchOnQuotaRisk).toBe(true);
    const blocked = await draftDryRun(page, 'Blocked carts');
    await page.getByRole('button', { name: 'Launch' }).click();
    const alert = page
      .getByRole('alert')
      .filter({ hasText: 'Not launched: the checks before launch found a problem.' });
    await alert.waitFor();
    const refusal = await alert.textContent();
    expect(refusal).toMatch(new RegExp(`${account} would carry \\d+ requests an hour against 1 it sustains`));
    expect(refusal).toContain('(steps fb_us, fb_rest). Spread the load over other accounts or steps, or launch later.');
    // one problem for the account, not one per step
    expect(refusal?.match(/would carry/g)).toHaveLength(1);
    expect(await page.getByTestId('canvas-status').textContent()).toBe('draft');
    expect((await designer.call<{ status: string }>('GET', `/v1/canvases/${blocked.canvasId}`)).body.status).toBe(
      'draft',
    );
    await page.evaluate('scrollTo(0, 0)');
    await shot(page, 'canvas-launch-refused');

    expect(browserErrors).toEqual([]);
    expect(failedRequests).toEqual([`POST /v1/canvases/${blocked.canvasId}/launch 422`]);
  });
});
