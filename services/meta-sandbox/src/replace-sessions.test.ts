import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from '@canvas/meta-graph';
import { buildSandbox } from './app.js';

const token = 'EAAB-replace-test-token';
const email = (i: number) => sha256Hex(`user${i}@example.com`);

/** A sandbox whose clock a test moves, with one account, token and audience of three members. */
async function setUp() {
  let realNow = Date.parse('2026-12-08T09:00:00Z');
  const { app, state } = buildSandbox({ admin: true, realNow: () => realNow, settings: { replaceProcessingMs: 1000 } });
  state.createAccount({ id: '77', name: 'Replace test' });
  state.createToken({ token, adAccounts: ['77'] });
  const created = await app.inject({
    method: 'POST',
    url: '/v25.0/act_77/customaudiences',
    headers: auth(),
    payload: { name: 'A' },
  });
  const audienceId = created.json<{ id: string }>().id;
  const users = async (method: 'POST' | 'DELETE', ids: number[]) =>
    app.inject({
      method,
      url: `/v25.0/${audienceId}/users`,
      headers: auth(),
      payload: { payload: { schema: ['EMAIL'], data: ids.map((i) => [email(i)]) } },
    });
  await users('POST', [1, 2, 3]);
  const replace = async (session: Record<string, unknown>, ids: number[]) => {
    const response = await app.inject({
      method: 'POST',
      url: `/v25.0/${audienceId}/usersreplace`,
      headers: auth(),
      payload: { payload: { schema: ['EMAIL'], data: ids.map((i) => [email(i)]) }, session },
    });
    const body = response.json<{ num_received?: number; error?: { code: number; error_subcode?: number } }>();
    return { status: response.statusCode, ...body };
  };
  const sessions = async (sessionId?: string) =>
    (
      await app.inject({
        method: 'GET',
        url: `/v25.0/${audienceId}/sessions${sessionId ? `?session_id=${sessionId}` : ''}`,
        headers: auth(),
      })
    ).json<{ data: Record<string, string>[] }>().data;
  // as the admin API reads them: a session that closed meanwhile has been applied
  const members = () => {
    const audience = state.audiences.get(audienceId)!;
    state.replaces.refresh(audience);
    return [...audience.members.values()].map((m) => m.EMAIL).sort();
  };
  const operationStatus = async () =>
    (await app.inject({ method: 'GET', url: `/v25.0/${audienceId}?fields=operation_status`, headers: auth() })).json<{
      operation_status: { code: number };
    }>().operation_status.code;
  const wait = (ms: number) => {
    realNow += ms;
  };
  return { app, state, audienceId, users, replace, sessions, members, operationStatus, wait };
}

const auth = () => ({ authorization: `Bearer ${token}` });
const seq = (n: number, last = false, id = '1001') => ({ session_id: Number(id), batch_seq: n, last_batch_flag: last });
const emails = (...ids: number[]) => ids.map(email).sort();

describe('replace sessions in the sandbox', () => {
  it('replaces the members with every batch received once the last one is processed', async () => {
    const t = await setUp();
    expect(await t.replace(seq(1), [10, 11])).toMatchObject({ status: 200, num_received: 2 });
    // the replace runs: operation_status 414 and /users refused with 2650/1870145
    expect(await t.operationStatus()).toBe(414);
    expect((await t.users('POST', [4])).json()).toMatchObject({ error: { code: 2650, error_subcode: 1870145 } });
    // any number but 1, repeats included
    expect(await t.replace(seq(3), [12])).toMatchObject({ status: 200, num_received: 3 });
    expect(await t.replace(seq(3), [12])).toMatchObject({ status: 200, num_received: 4 });
    expect(await t.replace(seq(2, true), [13])).toMatchObject({ status: 200, num_received: 5 });
    expect(await t.sessions('1001')).toEqual([expect.objectContaining({ stage: 'processing', num_matched: '-1' })]);
    expect(t.members()).toEqual(emails(1, 2, 3));
    t.wait(1000);
    expect(await t.sessions('1001')).toEqual([
      expect.objectContaining({ session_id: '1001', stage: 'finished', num_received: '5', num_matched: '4' }),
    ]);
    expect(t.members()).toEqual(emails(10, 11, 12, 13));
    expect(await t.operationStatus()).toBe(200);
    // a finished session takes nothing more
    expect(await t.replace(seq(4), [14])).toMatchObject({ error: { code: 2650, error_subcode: 1870159 } });
    expect(await t.replace(seq(1), [14])).toMatchObject({ error: { code: 2650, error_subcode: 1870159 } });
  });

  it('refuses a batch of a session whose first batch it never saw (1870147)', async () => {
    const t = await setUp();
    expect(await t.replace(seq(2), [10])).toMatchObject({ status: 400, error: { code: 2650, error_subcode: 1870147 } });
    expect(t.members()).toEqual(emails(1, 2, 3));
  });

  it('runs one replace at a time; batch 1 again starts the same session over', async () => {
    const t = await setUp();
    await t.replace(seq(1), [10]);
    expect(await t.replace(seq(1, false, '2002'), [20])).toMatchObject({ error: { error_subcode: 1870145 } });
    expect(await t.replace(seq(1), [11])).toMatchObject({ status: 200, num_received: 1 });
    await t.replace(seq(2, true), [12]);
    t.wait(1000);
    expect(t.members()).toEqual(emails(11, 12));
  });

  it('closes a session 90 minutes after its first batch with what had arrived, and refuses later batches', async () => {
    const t = await setUp();
    await t.replace(seq(1), [10]);
    t.wait(89 * 60_000);
    expect(await t.replace(seq(2), [11])).toMatchObject({ status: 200 });
    t.wait(60_000 + 1000);
    expect(await t.replace(seq(3, true), [12])).toMatchObject({ error: { code: 2650, error_subcode: 1870158 } });
    // the audience is left half replaced: only what arrived in time
    expect(t.members()).toEqual(emails(10, 11));
    // a new session replaces it properly
    await t.replace(seq(1, true, '3003'), [10, 11, 12]);
    t.wait(1000);
    expect(t.members()).toEqual(emails(10, 11, 12));
  });

  it('can leave a session stuck "uploading" after its last batch, as real uploads have been seen', async () => {
    const t = await setUp();
    const fault = await t.app.inject({
      method: 'PUT',
      url: `/_sandbox/audiences/${t.audienceId}/replace-fault`,
      payload: { stuckSessions: 1 },
    });
    expect(fault.statusCode).toBe(200);
    await t.replace(seq(1, true), [10]);
    t.wait(3_600_000);
    expect(await t.sessions('1001')).toEqual([
      {
        session_id: '1001',
        start_time: expect.any(String),
        end_time: '0',
        num_received: '1',
        num_invalid_entries: '0',
        num_matched: '-1',
        progress: '0',
        stage: 'uploading',
      },
    ]);
    expect(t.members()).toEqual(emails(1, 2, 3));
    // the next session is not stuck
    await t.replace(seq(1, true, '1002'), [11]);
    t.wait(1000);
    expect(t.members()).toEqual(emails(11));
  });

  it('counts badly hashed rows as invalid entries without failing the batch', async () => {
    const t = await setUp();
    const response = await t.app.inject({
      method: 'POST',
      url: `/v25.0/${t.audienceId}/usersreplace`,
      headers: auth(),
      payload: { payload: { schema: ['EMAIL'], data: [['not-a-hash'], [email(10)]] }, session: seq(1, true) },
    });
    expect(response.json()).toMatchObject({ num_received: 2, num_invalid_entries: 1 });
    t.wait(1000);
    expect(t.members()).toEqual(emails(10));
  });
});
