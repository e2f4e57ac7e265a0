import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seriousAccessibilityViolations } from '../support/accessibility.ts';
import { cartAbandonersSegmentExample } from '@canvas/canvas';
import { useEndToEnd, waitFor, type EndToEnd, type RunningSystem } from '@canvas/test-support';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = new URL('../../test-results/console/', import.meta.url);
const hostileName = '<img src=x onerror=alert(1)>';

interface StepNumbers {
  stepId: string;
  entered: number;
  proceeded: number;
  exited: number;
  facebook: { synced: number; notSynced: number; pending: number; errored: number } | null;
}

describe('the web console in a real Chromium, against the running system', () => {
  const e2e = useEndToEnd('e2e-console', { facebookLogin: true });
  let system: RunningSystem;
  let browser: Browser;
  let designer: ReturnType<EndToEnd['designer']>;
  const browserErrors: string[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    system = e2e.system;
    designer = e2e.designer('Console shop');
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A tab that records every console error, page error and dialog (a dialog would mean script ran from a name). */
  const openTab = async (options: { bypassCSP?: boolean; width?: number } = {}) => {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      bypassCSP: options.bypassCSP ?? false,
    });
    const page = await context.newPage();
    // a failed request shows in the console too; those are checked by status below instead
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        browserErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400)
        failedRequests.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
    });
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('dialog', (dialog) => {
      if (dialog.type() === 'alert') browserErrors.push(`alert: ${dialog.message()}`);
      void dialog.accept();
    });
    return page;
  };

  const signIn = async (page: Page) => {
    const response = await page.goto(`${system.api.url}/console/`);
    await page.getByLabel('API key').fill(designer.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Canvases' }).waitFor();
    return response;
  };

  const shot = (page: Page, name: string) => page.screenshot({ path: new URL(`${name}.png`, screenshots).pathname });

  it(
    'signs in, connects an account, shows problems and a live graph equal to the ' +
      'analytics, pauses and resumes, and keeps hostile names as text',
    async () => {
      const page = await openTab();
      const first = await page.goto(`${system.api.url}/console/`);
      await page.getByLabel('API key').waitFor();
      await shot(page, 'sign-in');
      await signIn(page);
      const policy = first?.headers()['content-security-policy'] ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
      expect(page.url()).not.toContain(designer.apiKey);

      // ad accounts: connect with a token checked by Meta (the sandbox)
      await page.getByRole('link', { name: 'Ad accounts' }).click();
      // the Marketing API version in use and the days Meta keeps serving it
      await expect(page.getByTestId('graph-api-version').textContent()).resolves.toMatch(
        /Marketing API v25\.0: expires 2027-02-23 \(\d+ days left\)/,
      );
      await page.getByLabel('Ad account id').fill(`act_${system.adAccountId}`);
      await page.getByLabel(/Access token/).fill(system.adAccountToken);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const row = page.locator(`tr[data-account="act_${system.adAccountId}"]`);
      await row.waitFor();
      await expect(row.textContent()).resolves.toMatch(/Connected/);
      await expect(row.textContent()).resolves.toMatch(/Default/);
      await shot(page, 'ad-accounts');

      // the editor: a broken canvas shows its problems at their fields as it is typed
      const steps = [
        { id: 'wait', kind: 'delay', name: hostileName, duration: '1s', next: 'fb' },
        {
          id: 'fb',
          kind: 'facebook_audience',
          name: 'Cart audience',
          audience: { create: { name: 'Console_Carts' } },
          matchKeys: ['EMAIL'],
          lookalike: { countries: ['US', 'CA'], ratio: 0.01 },
          next: null,
        },
      ];
      const canvasJson = {
        name: hostileName,
        entry: { trigger: { event: 'added_to_cart' } },
        firstStep: 'wait',
        steps,
      };
      await page.getByRole('link', { name: 'Canvases' }).click();
      await page.getByRole('link', { name: 'New canvas' }).click();
      await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
      const editor = page.getByLabel('Canvas JSON');
      await editor.fill(JSON.stringify({ ...canvasJson, firstStep: 'ghost' }, null, 2));
      await page.getByTestId('canvas-problems').getByText('/firstStep').waitFor();
      await shot(page, 'editor');
      await editor.fill(JSON.stringify(canvasJson, null, 2));
      await page.getByText('No problems.').waitFor();
      await page.getByRole('button', { name: 'Create draft' }).click();
      await page.getByRole('heading', { name: hostileName }).waitFor();
      const createdId = /#\/canvases\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
      expect(createdId).toBeDefined();
      const created = { body: { id: createdId ?? '' } };
      // a canvas that names an account nobody connected, made through the API (a script can do what the console does)
      const broken = await designer.call<{ id: string }>('POST', '/v1/canvases', {
        name: 'Broken canvas',
        entry: { trigger: { event: 'added_to_cart' } },
        firstStep: 'fb',
        steps: [{ ...steps[1], adAccountId: 'act_999999999', next: null }],
      });

      await page.getByRole('link', { name: 'Canvases' }).click();
      await page.getByRole('link', { name: hostileName }).waitFor();
      expect(await page.locator('main img').count()).toBe(0);
      await shot(page, 'canvases');

      // a canvas that cannot launch says why, in words
      await page.goto(`${system.api.url}/console/#/canvases/${broken.body.id}`);
      await page.getByRole('button', { name: 'Launch' }).click();
      await page
        .getByRole('alert')
        .getByText(/act_999999999 is not connected to this workspace/)
        .waitFor();

      // the good one launches; events flow; the graph shows what the analytics API says
      await page.goto(`${system.api.url}/console/#/canvases/${created.body.id}`);
      await page.getByRole('heading', { name: hostileName }).waitFor();
      expect(await page.locator('svg.graph g.node').count()).toBe(2);
      await page.getByRole('button', { name: 'Launch' }).click();
      await page.locator('[data-testid="canvas-status"]', { hasText: 'running' }).waitFor();

      await e2e.producer.send({
        topic: e2e.topic,
        messages: Array.from({ length: 6 }, (_, i) => `console-user-${i}`).flatMap((userId) =>
          [
            { type: 'identify', messageId: `${userId}-id`, traits: { email: `${userId}@shop.example` } },
            { type: 'track', messageId: `${userId}-cart`, event: 'added_to_cart' },
          ].map((event) => designer.message(userId, event)),
        ),
      });
      const analytics = await waitFor(
        async () => {
          const { body } = await designer.call<{ steps: StepNumbers[] }>(
            'GET',
            `/v1/canvases/${created.body.id}/analytics`,
          );
          const fb = body.steps.find((s) => s.stepId === 'fb')?.facebook;
          return fb && fb.synced === 6 ? body.steps : undefined;
        },
        { what: 'six users synced', timeoutMs: 60_000, intervalMs: 500 },
      );
      const shown = (step: string, metric: string) =>
        page.locator(`[data-step="${step}"] [data-metric="${metric}"]`).textContent();
      await waitFor(async () => (await shown('fb', 'Synced')) === 'Synced: 6', {
        what: 'the graph refreshed',
        timeoutMs: 15_000,
        intervalMs: 250,
      });
      for (const step of analytics ?? []) {
        expect(await shown(step.stepId, 'Entered')).toBe(`Entered: ${step.entered}`);
        expect(await shown(step.stepId, 'Proceeded')).toBe(`Proceeded: ${step.proceeded}`);
        if (step.facebook) {
          expect(await shown(step.stepId, 'Not synced')).toBe(`Not synced: ${step.facebook.notSynced}`);
          expect(await shown(step.stepId, 'Pending')).toBe(`Pending: ${step.facebook.pending}`);
          expect(await shown(step.stepId, 'Errored')).toBe(`Errored: ${step.facebook.errored}`);
        }
      }
      // six people are fewer than Meta's minimum for a lookalike: the page says it waits
      await expect(page.getByTestId('lookalike-status-fb').textContent()).resolves.toMatch(
        /^Waiting for the audience to grow/,
      );
      await shot(page, 'canvas');
      // "why isn't this user in my audience?"
      await page.getByLabel('User id').fill('console-user-0');
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.getByTestId('lookup-entries').getByText('synced').waitFor();

      await page.getByRole('button', { name: 'Pause' }).click();
      await page.locator('[data-testid="canvas-status"]', { hasText: 'paused' }).waitFor();
      await page.getByRole('button', { name: 'Resume' }).click();
      await page.locator('[data-testid="canvas-status"]', { hasText: 'running' }).waitFor();
      expect((await designer.call<{ status: string }>('GET', `/v1/canvases/${created.body.id}`)).body.status).toBe(
        'running',
      );

      // Connect with Facebook: the sandbox's dialog consents, Meta redirects to the console, two of three are picked
      const offered = ['Console EU', 'Console US', 'Console Outlet'];
      const made: { id: string }[] = [];
      for (const name of offered)
        made.push(
          (await (
            await fetch(`${system.sandbox.url}/_sandbox/ad-accounts`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ name }),
            })
          ).json()) as { id: string },
        );
      await page.getByRole('link', { name: 'Ad accounts' }).click();
      await page.getByRole('button', { name: 'Connect with Facebook' }).click();
      await page.getByRole('heading', { name: 'Ad accounts your Facebook login reaches' }).waitFor();
      expect(page.url()).not.toMatch(/code=|access_token/);
      await page.getByLabel(new RegExp(`act_${made[0]?.id}`)).check();
      await page.getByLabel(new RegExp(`act_${made[2]?.id}`)).check();
      await page.getByRole('button', { name: 'Connect 2 account(s)' }).click();
      await page.locator(`tr[data-account="act_${made[2]?.id}"]`).waitFor();
      const connected = (await designer.call<{ data: { adAccountId: string }[] }>('GET', '/v1/ad-accounts')).body.data;
      expect(connected.map((a) => a.adAccountId).sort()).toEqual(
        [`act_${system.adAccountId}`, `act_${made[0]?.id}`, `act_${made[2]?.id}`].sort(),
      );

      // a login link opened in someone else's browser (no binding cookie) connects nothing there or here
      const sent = await designer.call<{ id: string; authorizationUrl: string }>('POST', '/v1/facebook-login');
      const stranger = await openTab();
      await stranger.goto(sent.body.authorizationUrl);
      await stranger.getByRole('heading', { name: 'This login was started elsewhere' }).waitFor();
      const spent = await designer.call<{ status: string; adAccounts: unknown[] }>(
        'GET',
        `/v1/facebook-login/${sent.body.id}`,
      );
      expect(spent.body).toMatchObject({ status: 'failed', adAccounts: [] });
      await stranger.context().close();

      // deleting the account a running canvas uses is refused, and the console says why
      await page.getByRole('link', { name: 'Ad accounts' }).click();
      await row.getByRole('button', { name: 'Delete' }).click();
      await page
        .getByRole('alert')
        .getByText(/running or paused canvases send to this account/)
        .waitFor();
      await row.waitFor();
      await page.goto(`${system.api.url}/console/#/canvases/${created.body.id}`);

      // the same page at phone width still shows the graph and the buttons
      const phone = await openTab({ width: 390 });
      await signIn(phone);
      await phone.goto(`${system.api.url}/console/#/canvases/${created.body.id}`);
      await phone.locator('svg.graph').waitFor();
      await shot(phone, 'canvas-phone');

      // segments: Estimate reach answers what the API answers
      await page.getByRole('link', { name: 'Segments' }).click();
      await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
      await page.getByLabel('Segment JSON').fill(
        JSON.stringify({
          name: 'Cart abandoners',
          conditions: {
            all: [
              { behaviour: { did: true, event: 'added_to_cart', window: { lastDays: 30 } } },
              { behaviour: { did: false, event: 'purchased', window: { lastDays: 30 } } },
            ],
          },
        }),
      );
      await page.getByTestId('segment-status').getByText('No problems.').waitFor();
      await page.getByRole('button', { name: 'Estimate reach' }).click();
      const estimate = await page.getByTestId('estimate').textContent();
      const segmentJson = JSON.parse(await page.getByLabel(/segment JSON/i).inputValue()) as unknown;
      const expected = await designer.call<{ members: number }>(
        'POST',
        '/v1/segments/estimate?exact=true',
        segmentJson,
      );
      expect(estimate).toContain(`Members${expected.body.members}`);
      await shot(page, 'segments');

      expect(browserErrors).toEqual([]);
      // the refused launch, the stranger's login and the refused delete are the only requests that failed
      expect(failedRequests).toHaveLength(3);
      expect(failedRequests).toContain('GET /v1/facebook-login/callback 403');
      expect(failedRequests).toContain(`POST /v1/canvases/${broken.body.id}/launch 422`);
      expect(failedRequests.filter((r) => /^DELETE \/v1\/ad-accounts\/[0-9a-f-]+ 409$/.test(r))).toHaveLength(1);
    },
  );

  it("resyncs a step that follows its segment and shows the last resync's outcome", async () => {
    const segment = await designer.call<{ id: string }>('POST', '/v1/segments', cartAbandonersSegmentExample);
    const created = await designer.call<{ id: string }>('POST', '/v1/canvases', {
      name: 'Following audience',
      entry: {
        segment: { segmentId: segment.body.id, runs: { kind: 'once', at: '2099-01-01T09:00:00Z' } },
        reentry: { policy: 'after_cooldown', cooldown: '0s' },
      },
      firstStep: 'fb',
      steps: [
        {
          id: 'fb',
          kind: 'facebook_audience',
          name: 'Mirror',
          audience: { create: { name: 'Console_Mirror' } },
          matchKeys: ['EMAIL'],
          followSegment: true,
          next: null,
        },
      ],
    });
    expect((await designer.call('POST', `/v1/canvases/${created.body.id}/launch`)).status).toBe(200);
    const page = await openTab();
    await signIn(page);
    await page.goto(`${system.api.url}/console/#/canvases/${created.body.id}`);
    const status = page.getByTestId('resync-fb');
    await expect(status.textContent()).resolves.toBe('Never resynced');
    await page.getByRole('button', { name: 'Resync' }).click();
    // the workspace has no shoppers: the run finds no members, and an empty audience cannot be replaced
    await page
      .getByTestId('resync-fb')
      .filter({ hasText: /^Failed/ })
      .waitFor({ timeout: 60_000 });
    // in words: nothing was sent, so no batch count
    await expect(status.textContent()).resolves.toBe('Failed before anything was sent');
    await page
      .getByText(/has no members to upload/)
      .first()
      .waitFor();
    const problems = page.getByRole('list', { name: 'Ad account problems' });
    await problems.getByText(/the resync of audience/).waitFor();
    // the hint says where to click, not which endpoint to call
    const problemText = await problems.textContent();
    expect(problemText).toContain('resync again with the Resync button on this page.');
    expect(problemText).not.toMatch(/\/v1\/|POST /);
    await shot(page, 'canvas-resync');
  });

  it('has no serious or critical accessibility violations on any page', async () => {
    // axe is injected as a script, which the console's own policy would refuse
    const page = await openTab({ bypassCSP: true });
    await page.goto(`${system.api.url}/console/`);
    await page.getByLabel('API key').waitFor();
    const found: Record<string, string[]> = { 'sign in': await seriousAccessibilityViolations(page) };
    // signing in works from the keyboard alone
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('api-key');
    await page.keyboard.type(designer.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Canvases' }).waitFor();
    found.canvases = await seriousAccessibilityViolations(page);
    await page.getByRole('link', { name: 'Ad accounts' }).click();
    await page.getByRole('heading', { name: 'Ad accounts' }).waitFor();
    await page.locator('[data-quota-plan] summary').first().click();
    await page.locator('[data-quota-plan] dl.facts').first().waitFor();
    found['ad accounts'] = await seriousAccessibilityViolations(page);
    await page.getByRole('link', { name: 'Canvases' }).click();
    await page.getByRole('link', { name: hostileName }).click();
    await page.locator('svg.graph').waitFor();
    await page.getByText('Dry run: what would this version have done?').click();
    await page.getByLabel('Window').waitFor();
    found.canvas = await seriousAccessibilityViolations(page);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.locator('section.step-card').first().waitFor();
    found.builder = await seriousAccessibilityViolations(page);
    await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
    await page.getByLabel('Canvas JSON').waitFor();
    found.editor = await seriousAccessibilityViolations(page);
    await page.getByRole('link', { name: 'Canvases' }).click();
    await page.getByRole('link', { name: 'New segment campaign' }).click();
    await page.getByRole('heading', { name: 'New segment campaign' }).waitFor();
    found.campaign = await seriousAccessibilityViolations(page);
    await page.getByRole('link', { name: 'Segments', exact: true }).click();
    await page.getByRole('heading', { name: 'Segments' }).waitFor();
    for (const row of ['Did / did not do an event', 'User property', 'Reachability', 'Group of conditions (any / all)'])
      await page
        .getByRole('button', { name: `+ ${row}` })
        .first()
        .click();
    found.segments = await seriousAccessibilityViolations(page);
    expect(found).toEqual({
      'sign in': [],
      canvases: [],
      'ad accounts': [],
      canvas: [],
      builder: [],
      editor: [],
      campaign: [],
      segments: [],
    });
  });

  it('draws each step over time with the numbers the analytics API has, and compares versions', async () => {
    const page = await openTab({ bypassCSP: true });
    await signIn(page);
    await page.getByRole('link', { name: hostileName }).click();
    await page.getByRole('link', { name: 'Results over time' }).click();
    await page.getByRole('heading', { name: `${hostileName}: results` }).waitFor();
    const canvasId = /#\/canvases\/([0-9a-f-]{36})\/results$/.exec(page.url())?.[1] ?? '';
    const { body } = await designer.call<{ steps: StepNumbers[] }>('GET', `/v1/canvases/${canvasId}/analytics`);
    const fb = body.steps.find((s) => s.stepId === 'fb');
    const chart = page.locator('figure.chart', { hasText: 'Cart audience' });
    await chart.locator('svg path.line').first().waitFor();
    const legend = await chart.locator('.legend').textContent();
    expect(legend).toContain(`Entered ${fb?.entered}`);
    expect(legend).toContain(`Synced ${fb?.facebook?.synced}`);
    expect(await page.getByRole('img', { name: /^Whole canvas: Entered 6/ }).count()).toBe(1);
    await expect(page.getByRole('heading', { name: 'Versions side by side' }).count()).resolves.toBe(1);
    await page.getByText('The two versions are the same.').waitFor();
    await shot(page, 'results');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const phone = await openTab({ width: 390 });
    await signIn(phone);
    await phone.goto(`${system.api.url}/console/#/canvases/${canvasId}/results`);
    await phone.locator('figure.chart svg').first().waitFor();
    await shot(phone, 'results-phone');
    expect(browserErrors).toEqual([]);
  });

  it("shows each account's token expiry and the audiences canvases created there, sized by Meta", async () => {
    const page = await openTab({ bypassCSP: true });
    await signIn(page);
    await page.getByRole('link', { name: 'Ad accounts' }).click();
    const { body } = await designer.call<{ data: { id: string; adAccountId: string }[] }>('GET', '/v1/ad-accounts');
    const account = body.data.find((a) => a.adAccountId === `act_${system.adAccountId}`);
    const panel = page.locator(`[data-created-audiences="${account?.id}"]`);
    await panel.locator('summary').click();
    const row = panel.locator('tbody tr', { hasText: 'Console_Carts' });
    await row.waitFor();
    const listed = await designer.call<{ data: { name: string; size: { lowerBound: number } | null }[] }>(
      'GET',
      `/v1/ad-accounts/${account?.id}/created-audiences`,
    );
    const carts = listed.body.data.find((a) => a.name?.includes('Console_Carts'));
    expect(carts?.size).not.toBeNull();
    expect(await row.textContent()).toContain(hostileName);
    await shot(page, 'ad-accounts-audiences');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(browserErrors).toEqual([]);
  });

  it('dry-runs a canvas over its history and draws the projection on the graph, equal to the API', async () => {
    const page = await openTab({ bypassCSP: true });
    await signIn(page);
    await page.getByRole('link', { name: hostileName }).click();
    await page.locator('svg.graph').waitFor();
    const canvasId = /#\/canvases\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    await page.getByText('Dry run: what would this version have done?').click();
    await page.getByLabel('Window').selectOption('1');
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    await page.getByTestId('dry-run-status').filter({ hasText: /^Done/ }).waitFor({ timeout: 60_000 });
    const runs = await designer.call<{ data: DryRunView[] }>('GET', `/v1/canvases/${canvasId}/dry-runs`);
    const run = (await designer.call<DryRunView>('GET', `/v1/dry-runs/${runs.body.data[0]?.id}`)).body;
    expect(run.status).toBe('done');
    // the events the first test sent are the history: six shoppers entered
    expect(run.result.steps.find((s) => s.stepId === 'wait')?.entered).toBe(6);
    await page.getByTestId('projected-note').waitFor();
    expect(await page.locator('svg.graph-projected').count()).toBe(1);
    const shown = (step: string, metric: string) =>
      page.locator(`svg.graph [data-step="${step}"] [data-metric="${metric}"]`).textContent();
    const cell = (step: string, metric: string) =>
      page.locator(`[data-dry-run-step="${step}"] [data-metric="${metric}"]`).textContent();
    for (const step of run.result.steps) {
      expect(await shown(step.stepId, 'Entered')).toBe(`Entered: ${step.entered}`);
      expect(await shown(step.stepId, 'Proceeded')).toBe(`Proceeded: ${step.proceeded}`);
      expect(await shown(step.stepId, 'Exited')).toBe(`Exited: ${step.exited}`);
      expect(await cell(step.stepId, 'Entered')).toBe(String(step.entered));
      if (step.facebook) {
        expect(await shown(step.stepId, 'Synced')).toBe(`Synced: ${step.facebook.synced}`);
        expect(await shown(step.stepId, 'Not synced')).toBe(`Not synced: ${step.facebook.notSynced.total}`);
        // a projection sends nothing: no pending or errored line
        expect(await page.locator(`svg.graph [data-step="${step.stepId}"] [data-metric="Pending"]`).count()).toBe(0);
        expect(await cell(step.stepId, 'Requests')).toContain(`${step.facebook.requests} Meta request(s)`);
      }
      for (const user of step.sampleUserIds)
        expect(await page.locator(`[data-dry-run-step="${step.stepId}"]`).textContent()).toContain(user);
    }
    await page.screenshot({ path: new URL('canvas-dry-run.png', screenshots).pathname, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // back to the live numbers
    await page.getByRole('button', { name: 'Show live numbers' }).click();
    expect(await page.locator('svg.graph-projected').count()).toBe(0);

    // the builder's way in: the same page with the dry run open
    await page.goto(`${system.api.url}/console/#/canvases/${canvasId}/edit`);
    await page.getByRole('link', { name: 'Dry run' }).click();
    await page.getByLabel('Window').waitFor();

    // the quota plan of the connected account, in words, with the API's numbers
    await page.getByRole('link', { name: 'Ad accounts' }).click();
    const { body } = await designer.call<{ data: { id: string; adAccountId: string }[] }>('GET', '/v1/ad-accounts');
    const account = body.data.find((a) => a.adAccountId === `act_${system.adAccountId}`);
    const plan = (await designer.call<QuotaPlanView>('GET', `/v1/ad-accounts/${account?.id}/quota-plan`)).body;
    const panel = page.locator(`[data-quota-plan="${account?.id}"]`);
    await panel.locator('summary').click();
    await panel.locator('dl.facts').waitFor();
    const round = (n: number) => Math.round(n).toLocaleString('en-US');
    await expect(panel.locator('[data-metric="quota"]').textContent()).resolves.toContain(
      `of ${round(plan.quota.capacityPerHour)} request(s) an hour`,
    );
    await expect(panel.locator('[data-metric="backlog"]').textContent()).resolves.toContain(
      plan.backlog.users === 0 ? 'Nobody waiting' : `${round(plan.backlog.users)} user(s) waiting`,
    );
    await expect(panel.locator('[data-metric="recent"]').textContent()).resolves.toContain(
      `over the last ${plan.recent.hours} h`,
    );
    expect(await panel.getByTestId('quota-risk').count()).toBe(plan.retryLimitAtRisk ? 1 : 0);
    await shot(page, 'ad-accounts-quota-plan');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // a draft's audiences made before its launch, said in words
    const draft = await designer.call<{ id: string }>('POST', '/v1/canvases', {
      name: 'Audiences first',
      entry: { trigger: { event: 'added_to_cart' } },
      firstStep: 'fb',
      steps: [
        {
          id: 'fb',
          kind: 'facebook_audience',
          audience: { create: { name: 'Console_Early' } },
          matchKeys: ['EMAIL'],
          next: null,
        },
      ],
    });
    await page.goto(`${system.api.url}/console/#/canvases/${draft.body.id}`);
    await page.getByRole('button', { name: 'Create audiences' }).click();
    await page
      .getByTestId('created-audiences')
      .getByText(/Console_Early.*made by this canvas/)
      .waitFor();
    await shot(page, 'canvas-create-audiences');
    expect(browserErrors).toEqual([]);
  });
});

interface DryRunView {
  id: string;
  status: string;
  result: {
    steps: {
      stepId: string;
      entered: number;
      proceeded: number;
      exited: number;
      facebook: { synced: number; notSynced: { total: number }; requests: number } | null;
      sampleUserIds: string[];
    }[];
  };
}

interface QuotaPlanView {
  quota: { capacityPerHour: number };
  recent: { hours: number };
  backlog: { users: number };
  retryLimitAtRisk: boolean;
}
