import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addCounters } from '@canvas/db';
import { readMetric, useEndToEnd, waitFor, type EndToEnd } from '@canvas/test-support';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The watch's interval in this system: the drift metric must move within one. */
const watchIntervalMs = 2000;

interface FacebookNumbers {
  synced: number;
  notSynced: number;
  pending: number;
  errored: number;
}
interface Analytics {
  steps: { stepId: string; entered: number; facebook: FacebookNumbers | null }[];
}
interface Redrive {
  id: string;
  users: number;
  requestedBy: string;
  idempotencyKey: string | null;
  progress: FacebookNumbers;
}
interface CanvasAnswer {
  id: string;
  audiences: { stepId: string; audienceId: string }[];
  drift: { stepId: string; status: string; checkedAt: string | null; gaps: { kind: string; gap: number }[] }[];
}

describe('re-drive and the reconciliation watch, end to end', () => {
  const e2e = useEndToEnd('e2e-redrive', {
    env: {
      // users held by a revoked token end Errored after 4 s instead of 30 days
      SYNC_CREDENTIAL_HOLD_LIMIT: '4s',
      SYNC_BATCH_WINDOW: '1s',
      SYNC_WATCH_INTERVAL: `${watchIntervalMs}ms`,
    },
  });
  let designer: ReturnType<EndToEnd['designer']>;
  let browser: Browser;

  beforeAll(async () => {
    designer = e2e.designer('Re-drive shop');
    expect(await designer.connectAccount()).toBe(201);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A launched canvas: everyone who views a product goes to a Facebook step adding them to a new audience. */
  const launchViewersCanvas = async (name: string) => {
    const created = await designer.call<{ id: string }>('POST', '/v1/canvases', {
      name,
      entry: { trigger: { event: 'viewed_product' } },
      firstStep: 'fb',
      steps: [
        {
          id: 'fb',
          kind: 'facebook_audience',
          audience: { create: { name: name.replace(/\W/g, '_') } },
          matchKeys: ['EMAIL'],
          next: null,
        },
      ],
    });
    expect(created.status).toBe(201);
    expect((await designer.call('POST', `/v1/canvases/${created.body.id}/launch`)).status).toBe(200);
    return (await designer.call<CanvasAnswer>('GET', `/v1/canvases/${created.body.id}`)).body;
  };

  const viewers = async (prefix: string, count: number) => {
    for (let start = 0; start < count; start += 250)
      await e2e.producer.send({
        topic: e2e.topic,
        messages: Array.from({ length: Math.min(250, count - start) }, (_, i) => `${prefix}-${start + i}`).flatMap(
          (u) => [
            designer.message(u, { type: 'identify', messageId: `${u}-id`, traits: { email: `${u}@shop.example` } }),
            designer.message(u, { type: 'track', messageId: `${u}-view`, event: 'viewed_product' }),
          ],
        ),
      });
  };

  const numbers = async (canvasId: string) => {
    const { body } = await designer.call<Analytics>('GET', `/v1/canvases/${canvasId}/analytics`);
    const step = body.steps.find((s) => s.stepId === 'fb')!;
    const { synced, notSynced, pending, errored } = step.facebook!;
    return { entered: step.entered, synced, notSynced, pending, errored };
  };

  const driftOf = async (canvasId: string) =>
    (await designer.call<CanvasAnswer>('GET', `/v1/canvases/${canvasId}`)).body.drift.find((d) => d.stepId === 'fb')!;

  const openCanvas = async (canvasId: string): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${e2e.system.api.url}/console/`);
    await page.getByLabel('API key').fill(designer.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Canvases' }).waitFor();
    await page.goto(`${e2e.system.api.url}/console/#/canvases/${canvasId}`);
    return page;
  };

  it('raises the drift metric within one watch interval of a broken counter, and shows it on the canvas', async () => {
    const canvas = await launchViewersCanvas('Drift watch');
    await viewers('drift', 20);
    await waitFor(async () => (await numbers(canvas.id)).synced === 20, {
      what: '20 synced',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    await waitFor(async () => (await driftOf(canvas.id)).status === 'in_balance', { what: 'a clean check' });

    const labels = { canvas_id: canvas.id, step_id: 'fb', kind: 'counters' };
    const brokenAt = Date.now();
    // a writer that counted 7 users Errored who are not
    await addCounters(
      e2e.database.db,
      [
        {
          workspaceId: designer.workspaceId,
          canvasId: canvas.id,
          version: 1,
          stepId: 'fb',
          metric: 'errored',
          delta: 7,
        },
      ],
      new Date(),
      999_999,
    );
    await waitFor(async () => (await readMetric(e2e.system.sync.opsUrl, 'canvas_step_drift_users', labels)) === 7, {
      what: 'the drift metric',
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    expect(Date.now() - brokenAt).toBeLessThan(watchIntervalMs + 1500);
    expect(await driftOf(canvas.id)).toMatchObject({
      status: 'drift',
      gaps: [expect.objectContaining({ kind: 'counters', gap: 7, expected: 20, actual: 27 })],
    });

    const page = await openCanvas(canvas.id);
    await page.locator('[data-badge="fb"]', { hasText: 'drift 7' }).waitFor();
    await page
      .getByTestId('drift')
      .getByText(/off by 7/)
      .waitFor();
    await page.context().close();

    await addCounters(
      e2e.database.db,
      [
        {
          workspaceId: designer.workspaceId,
          canvasId: canvas.id,
          version: 1,
          stepId: 'fb',
          metric: 'errored',
          delta: -7,
        },
      ],
      new Date(),
      999_999,
    );
    await waitFor(async () => (await readMetric(e2e.system.sync.opsUrl, 'canvas_step_drift_users', labels)) === 0, {
      what: 'the drift to clear',
      timeoutMs: 30_000,
    });
    expect(await driftOf(canvas.id)).toMatchObject({ status: 'in_balance', gaps: [] });
  });

  it(
    'sends a step with 500 users Errored by a revoked token again after a reconnect: 500 Synced, ' +
      'counters reconciled, nobody sent twice',
    async () => {
      const canvas = await launchViewersCanvas('Weekend outage');
      const audienceId = canvas.audiences[0]!.audienceId;
      await e2e.sandbox('PATCH', `/_sandbox/tokens/${e2e.system.adAccountToken}`, { status: 'revoked' });
      await viewers('outage', 500);
      // held while the token is revoked, then Errored once the hold limit passes
      await waitFor(async () => (await numbers(canvas.id)).errored === 500, {
        what: '500 Errored',
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      expect(await numbers(canvas.id)).toEqual({ entered: 500, synced: 0, notSynced: 0, pending: 0, errored: 500 });
      const user = await designer.call<{ entries: { status: string; lastError: { code: string } }[] }>(
        'GET',
        `/v1/canvases/${canvas.id}/steps/fb/users/outage-0`,
      );
      expect(user.body.entries[0]).toMatchObject({ status: 'errored', lastError: { code: 'CREDENTIAL_NOT_RESTORED' } });

      const redrivePath = `/v1/canvases/${canvas.id}/steps/fb/redrive`;
      const tooSoon = await designer.call<{ code: string; detail: string }>('POST', redrivePath);
      expect(tooSoon.status).toBe(409);
      expect(tooSoon.body.code).toBe('REDRIVE_ACCOUNT_UNUSABLE');
      expect((await numbers(canvas.id)).errored).toBe(500);

      // the designer reconnects with a fresh token
      const fresh = await e2e.sandbox<{ token: string }>('POST', '/_sandbox/tokens', {
        adAccounts: [e2e.system.adAccountId],
      });
      const accounts = await designer.call<{ data: { id: string }[] }>('GET', '/v1/ad-accounts');
      const reconnected = await designer.call('PUT', `/v1/ad-accounts/${accounts.body.data[0]!.id}/token`, {
        accessToken: fresh.token,
      });
      expect(reconnected.status).toBe(200);

      const post = async (key?: string) => {
        const response = await fetch(`${e2e.system.api.url}${redrivePath}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${designer.apiKey}`,
            ...(key ? { 'idempotency-key': key } : {}),
          },
        });
        return { status: response.status, body: (await response.json()) as Redrive };
      };
      // a double click, a retried request and a second operator, all at once
      const answers = await Promise.all([post('after-outage'), post('after-outage'), post()]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 202, 202]);
      expect(answers[0]?.body.id).toBe(answers[1]?.body.id);
      const made = new Map(answers.map((a) => [a.body.id, a.body.users]));
      expect([...made.values()].sort((a, b) => a - b)).toEqual([0, 500]);

      await waitFor(async () => (await numbers(canvas.id)).synced === 500, {
        what: '500 Synced',
        timeoutMs: 60_000,
        intervalMs: 250,
      });
      const syncedAt = Date.now();
      const settled = await numbers(canvas.id);
      expect(settled).toEqual({ entered: 500, synced: 500, notSynced: 0, pending: 0, errored: 0 });
      expect(settled.entered).toBe(settled.synced + settled.notSynced + settled.pending + settled.errored);

      const members = await e2e.sandbox<{ total: number }>('GET', `/_sandbox/audiences/${audienceId}/members?limit=1`);
      expect(members.total).toBe(500);
      const requests = await e2e.sandbox<{ data: { action?: string; status: number; rows?: number }[] }>(
        'GET',
        `/_sandbox/requests?audienceId=${audienceId}`,
      );
      const sent = requests.data.filter((r) => r.action === 'add' && r.status === 200);
      expect(sent.reduce((total, r) => total + (r.rows ?? 0), 0)).toBe(500);

      const listed = await designer.call<{ data: Redrive[] }>('GET', `/v1/canvases/${canvas.id}/steps/fb/redrives`);
      expect(listed.body.data).toHaveLength(2);
      const keys = await designer.call<{ data: { label: string }[] }>('GET', '/v1/api-keys');
      const moved = listed.body.data.find((r) => r.users === 500)!;
      expect(moved).toMatchObject({ requestedBy: keys.body.data[0]!.label, progress: { synced: 500, pending: 0 } });
      const after = await designer.call<{ entries: { status: string; redriveId: string }[] }>(
        'GET',
        `/v1/canvases/${canvas.id}/steps/fb/users/outage-0`,
      );
      expect(after.body.entries[0]).toMatchObject({ status: 'synced', redriveId: moved.id });

      // the watch finds the step in balance, and the console shows the re-drives
      await waitFor(
        async () => {
          const drift = await driftOf(canvas.id);
          return drift.status === 'in_balance' && Date.parse(drift.checkedAt ?? '') > syncedAt;
        },
        { what: 'a clean check after the re-drive' },
      );
      const page = await openCanvas(canvas.id);
      const table = page.getByTestId('redrives');
      await table.getByRole('cell', { name: '500', exact: true }).waitFor();
      await page.getByRole('button', { name: /Re-drive 0 errored/ }).click();
      await page.getByTestId('redrive-result').getByText('0 user(s) sent again').waitFor();
      // the list is read again after the answer: wait for the new row, then count
      await table.locator('tbody tr').nth(2).waitFor();
      expect(await table.locator('tbody tr').count()).toBe(3);
      await page.context().close();
    },
  );
});
