import { describe, expect, it } from '@jest/globals';
import { actAdAccountId, bareAdAccountId } from './ad-account-id.js';

describe('ad account ids', () => {
  it.each([
    ['123', '123', 'act_123'],
    ['act_123', '123', 'act_123'],
    ['act_act_1', 'act_1', 'act_act_1'],
  ])('spells %s as %s bare and %s as a Graph node', (given, bare, act) => {
    expect(bareAdAccountId(given)).toBe(bare);
    expect(actAdAccountId(given)).toBe(act);
  });
});
