import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGraphClient, GraphApiError, sha256Hex, type GraphClient } from '@canvas/meta-graph';
import { startSandbox, type RunningSandbox } from '@canvas/meta-sandbox';

async function failure(promise: Promise<unknown>): Promise<GraphApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const email = (i: number) => sha256Hex(`buyer${i}@example.com`);

describe("the sandbox's value-based audiences and lookalikes, through the Graph client", () => {
  let sandbox: RunningSandbox;
  let client: GraphClient;
  let token: string;
  let accountId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ admin: true, settings: { minLookalikeSourceSize: 3, lookalikePopulateMs: 0 } });
    client = createGraphClient({ baseUrl: sandbox.url, version: 'v25.0', defaultThrottleWaitMs: 1000 });
    accountId = sandbox.state.createAccount({}).id;
    token = sandbox.state.createToken({ adAccounts: [accountId] }).token;
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('takes LOOKALIKE_VALUE on each row of a value-based audience; refuses adds and removals without it', async () => {
    const { data } = await client.createCustomAudience(token, accountId, { name: 'Valued', isValueBased: true });
    expect((await client.getCustomAudience(token, data.id)).data.isValueBased).toBe(true);
    const withValues = {
      schema: ['EMAIL' as const, 'LOOKALIKE_VALUE' as const],
      data: [
        [email(1), '44.5'],
        [email(2), '0'],
        [email(3), '-1'],
      ],
    };
    const added = await client.addUsers(token, data.id, withValues);
    // a negative value is an invalid entry, the rest are members with their values
    expect(added.data).toMatchObject({ numReceived: 3, numInvalidEntries: 1 });
    expect([...sandbox.state.audiences.get(data.id)!.members.values()]).toEqual([
      { EMAIL: email(1), LOOKALIKE_VALUE: '44.5' },
      { EMAIL: email(2), LOOKALIKE_VALUE: '0' },
    ]);
    const withoutValues = { schema: ['EMAIL' as const], data: [[email(1)]] };
    for (const write of [
      () => client.addUsers(token, data.id, withoutValues),
      () => client.removeUsers(token, data.id, withoutValues),
    ]) {
      const refused = await failure(write());
      expect(refused.details.metaCode).toBe(100);
      expect(refused.message).toBe('(#100) Value-Based Custom Audience requires LOOKALIKE_VALUE attribute.');
    }
  });

  it('ignores LOOKALIKE_VALUE on an audience that is not value-based', async () => {
    const { data } = await client.createCustomAudience(token, accountId, { name: 'Plain' });
    expect((await client.getCustomAudience(token, data.id)).data.isValueBased).toBe(false);
    await client.addUsers(token, data.id, { schema: ['EMAIL', 'LOOKALIKE_VALUE'], data: [[email(1), '12']] });
    expect([...sandbox.state.audiences.get(data.id)!.members.values()]).toEqual([{ EMAIL: email(1) }]);
  });

  it('makes a lookalike of a big enough source once, and keeps the source while it has one', async () => {
    const { data: source } = await client.createCustomAudience(token, accountId, { name: 'Seed' });
    const spec = {
      name: 'Lookalike (CA, US, 1%) - Seed',
      originAudienceId: source.id,
      countries: ['CA', 'US'],
      ratio: 0.01,
    };
    await client.addUsers(token, source.id, { schema: ['EMAIL'], data: [[email(1)], [email(2)]] });
    const tooSmall = await failure(client.createLookalikeAudience(token, accountId, spec));
    expect([tooSmall.details.metaCode, tooSmall.message]).toEqual([
      2654,
      "(#2654) Source Audience is Too Small: There aren't enough people in your source in the country you chose. " +
        'Please choose a country that includes at least 100 people in your source.',
    ]);

    await client.addUsers(token, source.id, { schema: ['EMAIL'], data: [[email(3)]] });
    const { data: lookalike } = await client.createLookalikeAudience(token, accountId, spec);
    const read = (await client.getCustomAudience(token, lookalike.id)).data;
    expect(read).toMatchObject({
      name: spec.name,
      subtype: 'LOOKALIKE',
      lookalike: { originIds: [source.id], countries: ['CA', 'US'], ratio: 0.01 },
      operationStatus: { code: 200 },
    });
    const duplicate = await failure(client.createLookalikeAudience(token, accountId, { ...spec, name: 'Again' }));
    expect([duplicate.details.metaCode, duplicate.details.metaSubcode]).toEqual([2654, 1713007]);
    const kept = await failure(client.deleteCustomAudience(token, source.id, accountId));
    expect(kept.details.metaCode).toBe(2656);
    const ratioRefused = await failure(client.createLookalikeAudience(token, accountId, { ...spec, ratio: 0.5 }));
    expect(ratioRefused.details.metaCode).toBe(100);
  });

  it('shows a new lookalike as populating, with no count, until its time has passed', async () => {
    sandbox.state.settings.lookalikePopulateMs = 3_600_000;
    const { data: source } = await client.createCustomAudience(token, accountId, { name: 'Seed 2' });
    await client.addUsers(token, source.id, { schema: ['EMAIL'], data: [[email(1)], [email(2)], [email(3)]] });
    const { data: lookalike } = await client.createLookalikeAudience(token, accountId, {
      name: 'Populating',
      originAudienceId: source.id,
      countries: ['US'],
      ratio: 0.05,
    });
    expect((await client.getCustomAudience(token, lookalike.id)).data).toMatchObject({
      approximateCountLowerBound: -1,
      operationStatus: { code: 441 },
    });
    sandbox.state.settings.lookalikePopulateMs = 0;
  });
});
