import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { cartAbandonersSegmentExample, problemCodes } from '@canvas/canvas';
import { useEndToEnd, waitFor, type RunningSystem } from '@canvas/test-support';
import { problemHome } from '../../services/console/src/builder/problem-home.ts';
import { canvasProblemWalk, segmentProblemWalk } from './problem-walk.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = new URL('../../test-results/console/', import.meta.url);
const readmeShots = ['builder', 'segment-builder'];
const example = JSON.parse(
  readFileSync(new URL('../../docs/examples/abandoned-cart.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

interface StepNumbers {
  stepId: string;
  entered: number;
  proceeded: number;
  exited: number;
  facebook: { synced: number; notSynced: number; pending: number; errored: number } | null;
}
interface Analytics {
  totals: { entered: number; control: number };
  steps: StepNumbers[];
}

describe('the console builder: a canvas and a segment campaign without typing JSON', () => {
  const e2e = useEndToEnd('e2e-console-builder', {
    env: { SEGMENT_RUN_POLL_INTERVAL: '200ms', CANVAS_REFRESH_INTERVAL: '1s' },
  });
  let system: RunningSystem;
  let browser: Browser;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    system = e2e.system;
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const openTab = async (key: string, width = 1280) => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) browserErrors.push(m.text());
    });
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${system.api.url}/console/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Canvases' }).waitFor();
    return page;
  };
  const shot = async (page: Page, name: string, fullPage = true) => {
    await page.screenshot({ path: new URL(`${name}.png`, screenshots).pathname, fullPage });
    // the README shows two of them: README_SCREENSHOTS=1 writes those into docs/images
    if (process.env.README_SCREENSHOTS === '1' && readmeShots.includes(name))
      await page.screenshot({
        path: new URL(`../../docs/images/console-${name}.png`, import.meta.url).pathname,
        fullPage,
      });
  };
  const card = (page: Page, stepId: string): Locator => page.locator(`section.step-card[data-step="${stepId}"]`);
  const noProblems = (page: Page) => page.getByTestId('builder-status').getByText('No problems.').waitFor();

  it('builds the README canvas as forms, equal to the example JSON, launches it, shows live numbers', async () => {
    const designer = e2e.designer('Builder shop');
    expect(await designer.connectAccount()).toBe(201);
    const page = await openTab(designer.apiKey);
    await page.getByRole('link', { name: 'New canvas' }).click();
    await page.getByRole('heading', { name: 'New canvas' }).waitFor();

    await page.getByLabel('Canvas name').fill('Abandoned cart');
    await page.getByLabel('Description (optional)').first().fill('Added to cart, no purchase within 10 seconds');
    // entry: the trigger with its property condition and the user filter
    await page.getByLabel('Event', { exact: true }).fill('added_to_cart');
    await page.getByRole('button', { name: 'Add an event property condition' }).click();
    const property = page.locator('[data-field="/entry/trigger/conditions/0"]');
    await property.getByLabel('Event property').fill('total');
    await property.getByLabel('Operator').selectOption('gte');
    await property.getByLabel('Type').selectOption('number');
    await property.getByLabel('Value').fill('20');
    await page.getByRole('button', { name: 'Add a user property filter' }).click();
    const filter = page.locator('[data-field="/entry/filters/0"]');
    await filter.getByLabel('User property').selectOption('hasEmail');
    await page.getByLabel('After a cooldown').check();
    await page.getByLabel('Cooldown: amount').fill('7');
    await page.getByLabel('Cooldown: unit').selectOption('d');
    await page.getByLabel('Control group (%)').fill('10');

    // steps: a delay at the start, then the Facebook step after it
    await page.getByRole('button', { name: 'Add a step at the start' }).click();
    await page.getByRole('button', { name: 'Delay', exact: true }).click();
    const wait = card(page, 'wait');
    await wait.getByLabel('Step name').fill('Wait 10 seconds');
    await wait.getByLabel('Wait for: amount').fill('10');
    await wait.getByLabel('Wait for: unit').selectOption('s');
    await page.getByRole('button', { name: 'Add a step after “Wait 10 seconds”' }).click();
    await page.getByRole('button', { name: 'Facebook Audience', exact: true }).click();
    const fb = card(page, 'fb');
    // a problem shows on its field as it is typed: the new audience has no name yet
    await fb.locator('[data-field="/steps/1/audience/create/name"] [data-code="too_short"]').waitFor();
    await fb.getByLabel('Step name').fill('Abandoned cart audience');
    await fb.getByLabel('New audience name').fill('Abandoned_Cart_30_Days');
    await fb.getByLabel('Description (optional)').fill('Added to cart, no purchase');
    await fb.getByLabel(/^Phone/).check();

    // exit and conversion
    await page.getByRole('button', { name: 'Add an exit event' }).click();
    await page.getByLabel('Exit event 1').fill('purchased');
    await page.getByRole('button', { name: 'Add a conversion goal' }).click();
    await page.getByLabel('Goal event').fill('purchased');
    await noProblems(page);
    await shot(page, 'builder');

    // the advanced tab holds exactly the README's example, and going back and forth changes nothing
    await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
    const text = await page.getByLabel('Canvas JSON').inputValue();
    expect(JSON.parse(text)).toEqual(example);
    await page.getByRole('tab', { name: 'Builder' }).click();
    await card(page, 'fb').waitFor();
    await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
    expect(await page.getByLabel('Canvas JSON').inputValue()).toBe(text);

    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { name: 'Abandoned cart' }).waitFor();
    const canvasId = /#\/canvases\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    // the same builder at phone width: every form still there, nothing wider than the screen
    const phone = await openTab(designer.apiKey, 390);
    await phone.goto(`${system.api.url}/console/#/canvases/${canvasId}/edit`);
    await card(phone, 'fb').getByLabel('New audience name').waitFor();
    await noProblems(phone);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(phone, 'builder-phone');
    await card(phone, 'fb').scrollIntoViewIfNeeded();
    await shot(phone, 'builder-phone-step', false);
    await phone.context().close();
    // and on a wide screen the builder takes the width: the step cards fill the page's column, no scrolling sideways
    const wide = await openTab(designer.apiKey, 1680);
    await wide.goto(`${system.api.url}/console/#/canvases/${canvasId}/edit`);
    await card(wide, 'fb').getByLabel('New audience name').waitFor();
    await noProblems(wide);
    const column = await wide.locator('section.builder').boundingBox();
    const stepWidth = (await card(wide, 'fb').boundingBox())?.width ?? 0;
    expect(stepWidth).toBeGreaterThanOrEqual(1300);
    expect(stepWidth).toBeLessThanOrEqual(column?.width ?? 0);
    expect(await wide.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1680);
    await shot(wide, 'builder-wide', false);
    await wide.context().close();
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.locator('[data-testid="canvas-status"]', { hasText: 'running' }).waitFor();

    const users = Array.from({ length: 8 }, (_, i) => `builder-user-${i}`);
    await e2e.producer.send({
      topic: e2e.topic,
      messages: users.flatMap((userId, i) =>
        [
          {
            type: 'identify',
            messageId: `${userId}-id`,
            traits: { email: `${userId}@shop.example`, phone: `+1415555${String(1000 + i)}` },
          },
          { type: 'track', messageId: `${userId}-cart`, event: 'added_to_cart', properties: { total: 25 } },
        ].map((event) => designer.message(userId, event)),
      ),
    });
    const analytics = await waitFor(
      async () => {
        const { body } = await designer.call<Analytics>('GET', `/v1/canvases/${canvasId}/analytics`);
        const synced = body.steps.find((s) => s.stepId === 'fb')?.facebook?.synced ?? 0;
        return body.totals.entered === users.length && synced + body.totals.control === users.length ? body : undefined;
      },
      { what: 'every entrant synced or held out', timeoutMs: 90_000, intervalMs: 500 },
    );
    const shown = (step: string, metric: string) =>
      page.locator(`[data-step="${step}"] [data-metric="${metric}"]`).textContent();
    const fbNumbers = analytics?.steps.find((s) => s.stepId === 'fb');
    await waitFor(async () => (await shown('fb', 'Synced')) === `Synced: ${fbNumbers?.facebook?.synced}`, {
      what: 'the graph refreshed',
      timeoutMs: 15_000,
      intervalMs: 250,
    });
    for (const step of analytics?.steps ?? []) {
      expect(await shown(step.stepId, 'Entered')).toBe(`Entered: ${step.entered}`);
      expect(await shown(step.stepId, 'Proceeded')).toBe(`Proceeded: ${step.proceeded}`);
    }
    await shot(page, 'builder-canvas-running');
    // the same numbers over time: each step's chart sums to what the analytics API counts
    await page.getByRole('link', { name: 'Results over time' }).click();
    for (const step of analytics?.steps ?? []) {
      const name = step.stepId === 'fb' ? 'Abandoned cart audience' : 'Wait 10 seconds';
      const legend = page.locator('figure.chart', { hasText: name }).locator('.legend');
      await legend.waitFor();
      const text = await legend.textContent();
      expect(text).toContain(`Entered ${step.entered}`);
      if (step.facebook) expect(text).toContain(`Synced ${step.facebook.synced}`);
    }
    await shot(page, 'builder-canvas-results');
    expect(browserErrors).toEqual([]);
  });

  it('builds the cart-abandoners segment from condition rows and publishes it as a segment campaign', async () => {
    const designer = e2e.designer('Campaign shop');
    expect(await designer.connectAccount()).toBe(201);
    const page = await openTab(designer.apiKey);
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('heading', { name: 'New segment' }).waitFor();
    await page.getByLabel('Segment name').fill(cartAbandonersSegmentExample.name);
    await page.getByLabel('Description (optional)').fill(cartAbandonersSegmentExample.description);
    const row = (i: number) => page.locator(`li[data-field="/conditions/all/${i}"]`);
    await page.getByRole('button', { name: '+ Did / did not do an event' }).click();
    await row(0).getByLabel('Event', { exact: true }).fill('added_to_cart');
    await row(0).getByLabel('How often').selectOption('gte');
    await row(0).getByLabel('Times').fill('2');
    await row(0).getByLabel('Days').fill('30');
    await page.getByRole('button', { name: '+ Did / did not do an event' }).click();
    await row(1).getByLabel('User', { exact: true }).selectOption('false');
    await row(1).getByLabel('Event', { exact: true }).fill('purchased');
    await page.getByRole('button', { name: '+ User property' }).click();
    await row(2).getByLabel('Value').fill('United States');
    await row(2).getByRole('button', { name: 'Add' }).click();
    await page.getByRole('button', { name: '+ Reachability' }).click();
    await row(3).getByLabel('User', { exact: true }).selectOption('false');
    await row(3).getByLabel('Reachability').selectOption('email_unsubscribed');
    await page.getByTestId('segment-status').getByText('No problems.').waitFor();
    await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
    expect(JSON.parse(await page.getByLabel('Segment JSON').inputValue())).toEqual(cartAbandonersSegmentExample);
    await page.getByRole('tab', { name: 'Builder' }).click();

    // Estimate reach, on demand, says what the API says once the history is in
    // the past, sent once the runner can know the new workspace (it reads them again at most once a second):
    // five shoppers add to their carts twice, one of them buys, one adds once; all in the US with e-mail
    const shoppers = ['ada', 'bob', 'cy', 'dee', 'eve', 'fay'];
    await e2e.producer.send({
      topic: e2e.topic,
      messages: shoppers.flatMap((userId, i) =>
        [
          {
            type: 'identify',
            messageId: `${userId}-id`,
            traits: { email: `${userId}@shop.example`, country: 'United States' },
          },
          { type: 'track', messageId: `${userId}-cart-1`, event: 'added_to_cart' },
          ...(i === 5 ? [] : [{ type: 'track', messageId: `${userId}-cart-2`, event: 'added_to_cart' }]),
          ...(i === 4 ? [{ type: 'track', messageId: `${userId}-buy`, event: 'purchased' }] : []),
        ].map((event, k) =>
          // a minute apart: two carts at the same moment would be one event of the history
          designer.message(userId, { ...event, timestamp: new Date(Date.now() - (10 - k) * 60_000).toISOString() }),
        ),
      ),
    });
    const exact = await waitFor(
      async () => {
        const { body } = await designer.call<{ members: number; byKey: Record<string, number> }>(
          'POST',
          '/v1/segments/estimate?exact=true',
          cartAbandonersSegmentExample,
        );
        return body.members === 4 ? body : undefined;
      },
      { what: 'the history applied', timeoutMs: 60_000, intervalMs: 500 },
    );
    await page.getByRole('button', { name: 'Estimate reach' }).click();
    const estimate = page.getByTestId('estimate');
    await estimate.waitFor();
    expect(await estimate.textContent()).toContain(`Members${exact?.members} (exact)`);
    expect(await estimate.locator('[data-key="EMAIL"]').textContent()).toBe(`${exact?.byKey.EMAIL} (100 %)`);
    await shot(page, 'segment-builder');
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByRole('cell', { name: cartAbandonersSegmentExample.name }).waitFor();
    const segmentId = (await designer.call<{ data: { id: string }[] }>('GET', '/v1/segments')).body.data[0]?.id ?? '';

    // the campaign: Who → What → When → review and publish
    await page.getByRole('link', { name: 'Canvases' }).click();
    await page.getByRole('link', { name: 'New segment campaign' }).click();
    await page.getByLabel('Campaign name').fill('Cart abandoners campaign');
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: cartAbandonersSegmentExample.name });
    await page.getByLabel('Control group (%)').fill('0');
    await shot(page, 'campaign-who');
    await page.getByRole('button', { name: 'Next: What' }).click();
    await page.getByLabel('New audience name').fill('Cart_Abandoners_US');
    await page.getByRole('button', { name: /Estimate coverage among/ }).click();
    await page.locator('[data-share="EMAIL"]').getByText('100 % have it (4 of 4)').waitFor();
    await shot(page, 'campaign-what');
    await page.getByRole('button', { name: 'Next: When' }).click();
    await page.getByLabel('Once').check();
    await page.getByRole('button', { name: 'Next: Review and publish' }).click();
    await expect(page.getByTestId('campaign-summary').textContent()).resolves.toContain(
      `Who: Members of “${cartAbandonersSegmentExample.name}”`,
    );
    await shot(page, 'campaign-review');
    await page.getByRole('button', { name: 'Publish and launch' }).click();
    await page.locator('[data-testid="canvas-status"]', { hasText: 'running' }).waitFor();
    const canvasId = /#\/canvases\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    const published = await designer.call<{ definition: Record<string, unknown> }>('GET', `/v1/canvases/${canvasId}`);
    expect(published.body.definition).toMatchObject({
      entry: { segment: { segmentId, runs: { kind: 'once' } } },
      steps: [{ kind: 'facebook_audience', audience: { create: { name: 'Cart_Abandoners_US' } }, action: 'add' }],
    });
    const analytics = await waitFor(
      async () => {
        const { body } = await designer.call<Analytics>('GET', `/v1/canvases/${canvasId}/analytics`);
        return body.steps.find((s) => s.stepId === 'fb')?.facebook?.synced === 4 ? body : undefined;
      },
      { what: 'the four members synced', timeoutMs: 60_000, intervalMs: 500 },
    );
    const shown = (step: string, metric: string) =>
      page.locator(`[data-step="${step}"] [data-metric="${metric}"]`).textContent();
    await waitFor(async () => (await shown('fb', 'Synced')) === 'Synced: 4', {
      what: 'the graph refreshed',
      timeoutMs: 15_000,
      intervalMs: 250,
    });
    for (const step of analytics?.steps ?? [])
      expect(await shown(step.stepId, 'Entered')).toBe(`Entered: ${step.entered}`);
    expect(browserErrors).toEqual([]);
  });

  it('picks an existing audience of the account by name and ad sets from Meta, and removes users', async () => {
    // the first test's launch made Abandoned_Cart_30_Days in the sandbox account; an ad set is made here
    const designer = e2e.designer('Audience shop');
    expect(await designer.connectAccount()).toBe(201);
    const adSet = await e2e.sandbox<{ id: string }>('POST', '/_sandbox/ad-sets', {
      accountId: system.adAccountId,
      name: 'Spring retargeting',
    });
    const audiences = await e2e.sandbox<{ data: { id: string; name: string }[] }>(
      'GET',
      `/_sandbox/audiences?accountId=${system.adAccountId}`,
    );
    const existing = audiences.data.find((a) => a.name.endsWith('Abandoned_Cart_30_Days'));
    expect(existing).toBeDefined();
    const page = await openTab(designer.apiKey);
    await page.getByRole('link', { name: 'New canvas' }).click();
    await page.getByLabel('Canvas name').fill('Buyers leave the audience');
    await page.getByLabel('Event', { exact: true }).fill('purchased');
    await page.getByRole('button', { name: 'Add a step at the start' }).click();
    await page.getByRole('button', { name: 'Facebook Audience', exact: true }).click();
    const fb = card(page, 'fb');
    await fb.getByLabel('An existing audience of the account').check();
    await fb.getByLabel("Search the account's audiences by name").fill('abandoned_cart');
    await fb.getByLabel(new RegExp(`Abandoned_Cart_30_Days ${existing?.id}`)).check();
    await fb.getByLabel(/Spring retargeting/).check();
    await noProblems(page);
    await shot(page, 'builder-existing-audience');
    const json = async () => {
      await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
      const value = JSON.parse(await page.getByLabel('Canvas JSON').inputValue()) as { steps: unknown[] };
      await page.getByRole('tab', { name: 'Builder' }).click();
      return value;
    };
    expect((await json()).steps[0]).toMatchObject({ audience: { id: existing?.id }, adSetIds: [adSet.id] });
    // ad sets go with adding: choosing to remove users lets go of them
    await fb.getByLabel('Remove users from the audience').check();
    expect(await fb.getByLabel(/Spring retargeting/).count()).toBe(0);
    await noProblems(page);
    await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
    expect(JSON.parse(await page.getByLabel('Canvas JSON').inputValue())).toEqual({
      name: 'Buyers leave the audience',
      entry: { trigger: { event: 'purchased' } },
      firstStep: 'fb',
      steps: [
        {
          id: 'fb',
          kind: 'facebook_audience',
          name: 'Facebook audience',
          audience: { id: existing?.id },
          action: 'remove',
          matchKeys: ['EMAIL'],
          next: null,
        },
      ],
    });
    expect(adSet.id).toMatch(/^\d+$/);
    expect(browserErrors).toEqual([]);
  });

  it('asks for a value-based audience and its lookalike without JSON', async () => {
    const designer = e2e.designer('Value shop');
    expect(await designer.connectAccount()).toBe(201);
    const page = await openTab(designer.apiKey);
    await page.getByRole('link', { name: 'New canvas' }).click();
    await page.getByLabel('Canvas name').fill('Best customers');
    await page.getByLabel('Event', { exact: true }).fill('purchased');
    await page.getByRole('button', { name: 'Add a step at the start' }).click();
    await page.getByRole('button', { name: 'Facebook Audience', exact: true }).click();
    const fb = card(page, 'fb');
    await fb.getByLabel('New audience name').fill('Best_Customers');
    await fb.getByLabel(/^Value trait/).fill('lifetime_value');
    await fb.getByLabel(/Ask Meta for a lookalike/).check();
    const lookalike = fb.locator('fieldset.lookalike');
    await lookalike.getByRole('combobox', { name: 'Countries' }).fill('Canada');
    await lookalike.getByRole('button', { name: 'Add' }).click();
    await lookalike.getByLabel('Size').selectOption('5');
    await noProblems(page);
    await shot(page, 'builder-value-lookalike');
    await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
    const built = JSON.parse(await page.getByLabel('Canvas JSON').inputValue()) as { steps: unknown[] };
    expect(built.steps[0]).toMatchObject({
      audience: { create: { name: 'Best_Customers', valueTrait: 'lifetime_value' } },
      lookalike: { countries: ['US', 'CA'], ratio: 0.05 },
    });
    expect(browserErrors).toEqual([]);
  });

  it('shows every problem the API can name for a canvas on its field (and a segment window on its date)', async () => {
    const designer = e2e.designer('Problem shop');
    const page = await openTab(designer.apiKey);
    const walked = new Set<string>();
    for (const { code, canvas, home } of canvasProblemWalk) {
      const { body } = await designer.call<{ problems: { code: string; path: string }[] }>(
        'POST',
        '/v1/canvases/validate',
        canvas,
      );
      const problems = body.problems ?? (body as unknown as { errors: { code: string; path: string }[] }).errors;
      expect(problems.some((p) => p.code === code && problemHome(p.path) === home)).toBe(true);
      await page.goto(`${system.api.url}/console/#/canvases`);
      await page.getByRole('link', { name: 'New canvas' }).click();
      await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
      await page.getByLabel('Canvas JSON').fill(JSON.stringify(canvas, null, 2));
      await page.getByRole('tab', { name: 'Builder' }).click();
      const shownAt = page.locator(`[data-field~="${home}"] [data-problems="${home}"] [data-code="${code}"]`).first();
      await shownAt.waitFor({ timeout: 10_000 }).catch(() => {
        throw new Error(`${code}: not shown at ${home}`);
      });
      expect(await shownAt.isVisible()).toBe(true);
      if (code === 'too_short') await shot(page, 'builder-problem', false);
      walked.add(code);
    }
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('tab', { name: 'JSON (advanced)' }).click();
    await page.getByLabel('Segment JSON').fill(JSON.stringify(segmentProblemWalk.segment));
    await page.getByRole('tab', { name: 'Builder' }).click();
    const home = segmentProblemWalk.home;
    await page
      .locator(`[data-field~="${home}"] [data-problems="${home}"] [data-code="${segmentProblemWalk.code}"]`)
      .waitFor();
    walked.add(segmentProblemWalk.code);
    expect([...walked].sort()).toEqual([...problemCodes].sort());
    expect(browserErrors).toEqual([]);
  });
});
