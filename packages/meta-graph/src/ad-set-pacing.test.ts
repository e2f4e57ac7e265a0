import { describe, expect, it } from '@jest/globals';
import type { AdSet, AdSetCalls } from './ad-sets.js';
import { pacedAdSetCalls } from './ad-set-pacing.js';
import { GraphApiError } from './errors.js';

const adSet: AdSet = { id: '7', name: 'a', accountId: '42', targeting: {}, updatedTime: 't' };

/** A fake of the ad-set port answering with the given usage (regain access in ms) or a throttle. */
function fakeCalls(answers: ({ regainAccessMs: number } | 'throttled')[]): AdSetCalls & { made: number } {
  const next = async () => {
    fake.made += 1;
    const answer = answers.shift() ?? { regainAccessMs: 0 };
    if (answer === 'throttled')
      throw new GraphApiError('throttled', '80004', { metaCode: 80004, retryAfterMs: 60_000 });
    return { usage: { percent: 50, ...answer }, data: adSet };
  };
  const fake = {
    made: 0,
    listAdSets: async () => ({ ...(await next()), data: { adSets: [adSet] } }),
    getAdSet: next,
    updateAdSetTargeting: next,
  };
  return fake;
}

describe('ad set calls paced by the ads_management quota', () => {
  it.each([
    ['a short block is waited out', [{ regainAccessMs: 2_000 }], 2_000, 2],
    ['no block, no wait', [{ regainAccessMs: 0 }], 0, 2],
  ])('%s', async (_name, answers, waited, made) => {
    const clock = 0;
    const waits: number[] = [];
    const calls = fakeCalls([...answers]);
    const paced = pacedAdSetCalls(calls, { now: () => clock, sleep: async (ms) => void waits.push(ms) });
    await paced.getAdSet('t', '7');
    await paced.updateAdSetTargeting('t', '7', {});
    expect([waits.reduce((a, b) => a + b, 0), calls.made]).toEqual([waited, made]);
  });

  it('refuses calls on a throttled account until Meta says, without calling Meta', async () => {
    let clock = 0;
    const calls = fakeCalls([{ regainAccessMs: 0 }, 'throttled']);
    const paced = pacedAdSetCalls(calls, { now: () => clock, sleep: async () => undefined });
    await paced.listAdSets('t', 'act_42');
    await expect(paced.getAdSet('t', '7')).rejects.toMatchObject({ code: 'META_THROTTLED' });
    await expect(paced.getAdSet('t', '7')).rejects.toMatchObject({ code: 'META_THROTTLED' });
    await expect(paced.updateAdSetTargeting('t', '7', {})).rejects.toMatchObject({
      code: 'META_THROTTLED',
      details: { retryAfterMs: 60_000 },
    });
    expect(calls.made).toBe(2);
    clock = 60_000;
    await paced.getAdSet('t', '7');
    expect(calls.made).toBe(3);
  });
});
