import { describe, expect, it } from '@jest/globals';
import type { ParsedEvent } from '@canvas/canvas';
import { historyEvents } from './history-window.js';

const now = new Date('2026-11-22T12:00:00Z');
const day = 86_400_000;
const applied = (type: 'track' | 'identify', iso: string, name = 'viewed'): ParsedEvent => ({
  workspaceId: 'w',
  traits: {},
  context: {},
  event: {
    type,
    messageId: `${type}-${iso}`,
    userId: 'u',
    event: type === 'track' ? name : undefined,
    properties: { a: 1 },
    timestamp: new Date(iso),
  },
});

describe('which applied events the behaviour history records', () => {
  it.each([
    ['a track event of now', applied('track', '2026-11-22T12:00:00Z'), true],
    ['a track event 89 days ago', applied('track', '2026-08-25T00:00:00Z'), true],
    [
      'a track event on the oldest kept day, which may be dropped at any moment',
      applied('track', '2026-08-24T23:00:00Z'),
      false,
    ],
    ['a track event 100 days ago', applied('track', '2026-08-14T00:00:00Z'), false],
    ['a track event stamped tomorrow', applied('track', '2026-11-23T09:00:00Z'), true],
    ['a track event stamped in three days', applied('track', '2026-11-25T00:00:00Z'), false],
    ['an identify', applied('identify', '2026-11-22T12:00:00Z'), false],
  ])('%s → %s', (_name, event, recorded) => {
    const { record, skipped } = historyEvents([event], now, 90 * day);
    expect(record.length).toBe(recorded ? 1 : 0);
    expect(skipped).toBe(recorded || event.event.type === 'identify' ? 0 : 1);
  });
});
