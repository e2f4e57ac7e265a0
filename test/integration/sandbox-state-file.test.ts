import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { buildUsersPayloads, createGraphClient, sha256Hex } from '@canvas/meta-graph';
import { persistState, startSandbox } from '@canvas/meta-sandbox';

describe('the sandbox with a state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  const file = join(dir, 'state.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('still knows its accounts, tokens, audiences and members after a restart', async () => {
    const first = await startSandbox({ admin: true });
    const saved = await persistState(first.state, file, 50);
    expect(saved.restored).toBe(false);
    first.state.createAccount({ id: '777', name: 'Kept' });
    const token = first.state.createToken({ adAccounts: ['777'] }).token;
    const client = createGraphClient({ baseUrl: first.url });
    const audienceId = (
      await client.createCustomAudience(token, 'act_777', { name: 'Kept audience', description: 'survives' })
    ).data.id;
    const [payload] = buildUsersPayloads(['EMAIL'], [[sha256Hex('a@example.com')], [sha256Hex('b@example.com')]]);
    expect((await client.addUsers(token, audienceId, payload!)).data.numReceived).toBe(2);
    await client.close();
    await saved.close();
    await first.close();

    const second = await startSandbox({ admin: true });
    const restored = await persistState(second.state, file, 50);
    expect(restored.restored).toBe(true);
    const again = createGraphClient({ baseUrl: second.url });
    expect((await again.getCustomAudience(token, audienceId, 'act_777')).data).toMatchObject({
      id: audienceId,
      name: 'Kept audience',
    });
    const listed = (await (await fetch(`${second.url}/_sandbox/audiences`)).json()) as {
      data: { id: string; memberCount: number }[];
    };
    expect(listed.data).toEqual([expect.objectContaining({ id: audienceId, memberCount: 2 })]);
    await again.close();
    await restored.close();
    await second.close();
  });
});
