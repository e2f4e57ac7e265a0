import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { abandonedCartCanvas, startApiHarness, type ApiHarness } from '@canvas/test-support';

interface CreatedAudienceAnswer {
  audienceId: string;
  name: string | null;
  canvasName: string;
  steps: string[];
  size: { lowerBound: number; upperBound: number } | null;
  operationStatus: { code: number } | null;
  metaError: string | null;
}

describe("an ad account's created audiences", () => {
  let h: ApiHarness;
  let accountId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    const account = h.sandboxAccount();
    accountId = (
      await h.call('POST', '/v1/ad-accounts', { adAccountId: account.accountId, accessToken: account.token })
    ).json<{ id: string }>().id;
  });
  afterAll(async () => h.close());

  it("lists what the canvases created, not audiences they only use, with Meta's size and status", async () => {
    const made = (await h.call('POST', '/v1/canvases', abandonedCartCanvas({ name: 'Carts' }))).json<{ id: string }>();
    const audiences = (await h.call('POST', `/v1/canvases/${made.id}/audiences`)).json<{
      audiences: { audienceId: string }[];
    }>().audiences;
    const createdId = audiences[0]!.audienceId;
    const reuse = abandonedCartCanvas({ name: 'Reuses it' });
    const reusing = { ...reuse, steps: [reuse.steps[0], { ...reuse.steps[1], audience: { id: createdId } }] };
    const other = (await h.call('POST', '/v1/canvases', reusing)).json<{ id: string }>();
    expect((await h.call('POST', `/v1/canvases/${other.id}/audiences`)).statusCode).toBe(200);

    const listed = await h.call('GET', `/v1/ad-accounts/${accountId}/created-audiences`);
    expect(listed.statusCode).toBe(200);
    const [only, ...rest] = listed.json<{ data: CreatedAudienceAnswer[] }>().data;
    expect(rest).toEqual([]);
    const inMeta = h.sandbox.state.audiences.get(createdId);
    expect(only).toMatchObject({
      audienceId: createdId,
      name: inMeta?.name,
      canvasName: 'Carts',
      steps: ['fb'],
      metaError: null,
    });
    expect([typeof only?.size?.lowerBound, typeof only?.size?.upperBound]).toEqual(['number', 'number']);

    // Meta flags the audience: the page says so on the next read
    const flagged = await fetch(`${h.sandbox.url}/_sandbox/audiences/${createdId}/health`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flagged: true }),
    });
    expect(flagged.status).toBeLessThan(300);
    const again = (await h.call('GET', `/v1/ad-accounts/${accountId}/created-audiences`)).json<{
      data: CreatedAudienceAnswer[];
    }>();
    expect(again.data[0]?.operationStatus?.code).toBe(471);
  });
});
