import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseEvent, type DeadLetterReason } from './parse-event.js';

const specExample = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`../../../../test/fixtures/segment-spec/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

const ws = '3f1b6a2e-8f8e-4c1e-9a43-3b8f0e6d1c2a';
const message = (value: unknown, options: { key?: string | null; header?: string | undefined } = {}) => ({
  key: options.key === undefined ? 'u1' : options.key,
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  workspaceHeader: 'header' in options ? options.header : ws,
  kafkaTimestamp: Date.parse('2026-11-22T10:00:00Z'),
});
const track = {
  type: 'track',
  messageId: 'm1',
  userId: 'u1',
  event: 'added_to_cart',
  properties: { total: 30 },
  timestamp: '2026-11-22T09:59:59Z',
};

describe('parseEvent', () => {
  it('reads a track call with context traits and device context', () => {
    const result = parseEvent(
      message({ ...track, context: { traits: { email: 'a@b.co' }, device: { advertisingId: 'AD-1' }, ip: '1.2.3.4' } }),
      65_536,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        workspaceId: ws,
        traits: { email: 'a@b.co' },
        context: { device: { advertisingId: 'AD-1' } },
        event: {
          type: 'track',
          messageId: 'm1',
          userId: 'u1',
          event: 'added_to_cart',
          properties: { total: 30 },
          timestamp: new Date('2026-11-22T09:59:59Z'),
        },
      },
    });
  });

  it('reads an identify call, the workspace from the body without a header, Kafka time without a timestamp', () => {
    const result = parseEvent(
      message(
        { type: 'identify', messageId: 'm2', userId: 'u1', traits: { firstName: 'Ann' }, workspaceId: ws },
        { header: undefined },
      ),
      65_536,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { traits: { firstName: 'Ann' }, event: { type: 'identify', timestamp: new Date('2026-11-22T10:00:00Z') } },
    });
  });

  it.each<[string, ReturnType<typeof message>, DeadLetterReason]>([
    ['too large', message({ ...track, properties: { blob: 'x'.repeat(70_000) } }), 'too_large'],
    ['empty', message(null), 'empty'],
    ['not JSON', message('{"type":'), 'invalid_json'],
    ['not an object', message([1, 2]), 'not_an_object'],
    ['unknown type', message({ ...track, type: 'purchase' }), 'unknown_type'],
    ['a page call', message({ ...track, type: 'page' }), 'unsupported_type'],
    ['no messageId', message({ ...track, messageId: '' }), 'missing_message_id'],
    ['no userId', message({ ...track, userId: undefined }), 'missing_user_id'],
    ['no event name', message({ ...track, event: ' ' }), 'missing_event_name'],
    ['bad timestamp', message({ ...track, timestamp: 'yesterday' }), 'invalid_timestamp'],
    ['bad timestamp date', message({ ...track, timestamp: '2026-13-45T99:00:00Z' }), 'invalid_timestamp'],
    ['a NUL character', message({ ...track, properties: { note: 'a\u0000b' } }), 'unstorable_text'],
    [
      'an unpaired surrogate',
      message(`{"type":"track","messageId":"m","userId":"u1","event":"e","properties":{"n":"\\ud800"}}`),
      'unstorable_text',
    ],
    [
      'an unpaired surrogate in a key',
      message(`{"type":"track","messageId":"m","userId":"u1","event":"e","properties":{"\\udc00":1}}`),
      'unstorable_text',
    ],
    ['properties not an object', message({ ...track, properties: [1] }), 'invalid_field'],
    [
      'traits not an object',
      message({ type: 'identify', messageId: 'm', userId: 'u1', traits: 'vip' }),
      'invalid_field',
    ],
    ['key is not the userId', message(track, { key: 'someone-else' }), 'key_mismatch'],
    ['no workspace', message(track, { header: undefined }), 'missing_workspace'],
    ['workspace not a UUID', message(track, { header: 'acme' }), 'unknown_workspace'],
  ])('dead-letters %s as %s', (_name, input, reason) => {
    const result = parseEvent(input, 65_536);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.detail).not.toContain('x'.repeat(50));
  });

  it('dead-letters nesting past the documented depth as too_deep, before anything recursive reads it', () => {
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const deep = `{"type":"track","messageId":"m","userId":"u1","event":"e","properties":{"a":${nested}}}`;
    expect(parseEvent(message(deep), 65_536)).toEqual({
      ok: false,
      reason: 'too_deep',
      detail: 'arrays and objects nest deeper than 64 levels',
    });
    const atLimit = { ...track, properties: { a: JSON.parse('['.repeat(62) + ']'.repeat(62)) as unknown } };
    expect(parseEvent(message(atLimit), 65_536).ok).toBe(true);
  });

  it('keeps keys such as __proto__ as plain data', () => {
    const text = `{"type":"identify","messageId":"m","userId":"u1","traits":{"__proto__":{"admin":true},"plan":"pro"}}`;
    const result = parseEvent(message(text), 65_536);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.traits.plan).toBe('pro');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((result.value.traits as { admin?: unknown }).admin).toBeUndefined();
  });

  it('names the field that holds text PostgreSQL cannot store, without its value', () => {
    const result = parseEvent(message({ ...track, properties: { cart: { note: 'secret\u0000' } } }), 65_536);
    expect(result).toEqual({
      ok: false,
      reason: 'unstorable_text',
      detail: '/properties/cart/note holds a NUL character (\\u0000), which cannot be stored',
    });
  });

  it.each([['identify'], ['track'], ['track-full-context']])(
    "applies Segment's documented %s example with every field",
    (name) => {
      const example = specExample(name);
      const result = parseEvent(message(example, { key: String(example.userId) }), 65_536);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.event.messageId).toBe(example.messageId);
      expect(result.value.event.timestamp).toEqual(new Date(String(example.timestamp ?? example.originalTimestamp)));
      if (name === 'identify') expect(result.value.traits).toEqual(example.traits);
      if (name === 'track-full-context') {
        expect(result.value.traits).toEqual({ phone: '+1 (650) 555-1212', firstName: 'Peter' });
        expect(result.value.context).toMatchObject({
          app: { version: '545' },
          os: { name: 'iPhone OS' },
          device: { type: 'ios' },
        });
      }
    },
  );

  it.each([['page'], ['screen'], ['group'], ['alias']])(
    "dead-letters Segment's %s call as unsupported_type with a clear reason",
    (name) => {
      const result = parseEvent(message(specExample(name)), 65_536);
      expect(result).toEqual({
        ok: false,
        reason: 'unsupported_type',
        detail: `Segment ${name} calls are not used by canvases; send identify or track`,
      });
    },
  );

  it.each<[string, Record<string, unknown>]>([
    ['version as a string', { version: '1.1' }],
    ['version 2', { version: 2 }],
    ['version as an object', { version: { major: 1 } }],
    ['channel', { channel: 'mobile' }],
    ['integrations with odd values', { integrations: { All: 'yes', Braze: { appId: 1 } } }],
    ['an anonymousId', { anonymousId: 42 }],
    ['sentAt and receivedAt in any form', { sentAt: 'soon', receivedAt: 17 }],
    ['an originalTimestamp that is not a date', { originalTimestamp: 'earlier' }],
    ['context that is not an object', { context: 'web' }],
    ['context.traits that is not an object', { context: { traits: 'vip', library: 'x', ip: 7 } }],
    ['properties: null', { properties: null }],
    ['a numeric userId and messageId', { userId: 42, messageId: 7 }],
    ['unknown top-level fields', { writeKey: 'abc', _metadata: { bundled: ['Segment.io'] } }],
  ])('never rejects an event for its metadata: %s', (_name, fields) => {
    const value = { ...track, ...fields };
    const result = parseEvent(message(value, { key: String(value.userId) }), 65_536);
    expect(result).toMatchObject({ ok: true });
  });

  it('takes originalTimestamp when timestamp is absent', () => {
    const { timestamp: _t, ...rest } = track;
    const result = parseEvent(message({ ...rest, originalTimestamp: '2026-11-21T08:00:00Z' }), 65_536);
    expect(result).toMatchObject({ ok: true, value: { event: { timestamp: new Date('2026-11-21T08:00:00Z') } } });
  });
});
