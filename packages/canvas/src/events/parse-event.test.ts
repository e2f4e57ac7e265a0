import { describe, expect, it } from '@jest/globals';
import { parseEvent, type DeadLetterReason } from './parse-event.js';

const ws = '3f1b6a2e-8f8e-4c1e-9a43-3b8f0e6d1c2a';
const message = (value: unknown, options: { key?: string | null; header?: string | undefined } = {}) => ({
  key: options.key === undefined ? 'u1' : options.key,
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  workspaceHeader: 'header' in options ? options.header : ws,
  kafkaTimestamp: Date.parse('2026-11-22T10:00:00Z'),
});
const track = { type: 'track', messageId: 'm1', userId: 'u1', event: 'added_to_cart', properties: { total: 30 }, timestamp: '2026-11-22T09:59:59Z' };

describe('parseEvent', () => {
  it('reads a track call with context traits and device context', () => {
    const result = parseEvent(message({ ...track, context: { traits: { email: 'a@b.co' }, device: { advertisingId: 'AD-1' }, ip: '1.2.3.4' } }), 65_536);
    expect(result).toEqual({
      ok: true,
      value: {
        workspaceId: ws,
        traits: { email: 'a@b.co' },
        context: { device: { advertisingId: 'AD-1' } },
        event: { type: 'track', messageId: 'm1', userId: 'u1', event: 'added_to_cart', properties: { total: 30 }, timestamp: new Date('2026-11-22T09:59:59Z') },
      },
    });
  });

  it('reads an identify call, takes the workspace from the body when there is no header, and Kafka time when there is no timestamp', () => {
    const result = parseEvent(message({ type: 'identify', messageId: 'm2', userId: 'u1', traits: { firstName: 'Ann' }, workspaceId: ws }, { header: undefined }), 65_536);
    expect(result).toMatchObject({ ok: true, value: { traits: { firstName: 'Ann' }, event: { type: 'identify', timestamp: new Date('2026-11-22T10:00:00Z') } } });
  });

  it.each<[string, ReturnType<typeof message>, DeadLetterReason]>([
    ['too large', message({ ...track, properties: { blob: 'x'.repeat(70_000) } }), 'too_large'],
    ['empty', message(null), 'empty'],
    ['not JSON', message('{"type":'), 'invalid_json'],
    ['not an object', message([1, 2]), 'not_an_object'],
    ['unknown type', message({ ...track, type: 'page' }), 'unknown_type'],
    ['no messageId', message({ ...track, messageId: '' }), 'missing_message_id'],
    ['no userId', message({ ...track, userId: undefined }), 'missing_user_id'],
    ['no event name', message({ ...track, event: ' ' }), 'missing_event_name'],
    ['bad timestamp', message({ ...track, timestamp: 'yesterday' }), 'invalid_timestamp'],
    ['bad timestamp date', message({ ...track, timestamp: '2026-13-45T99:00:00Z' }), 'invalid_timestamp'],
    ['a NUL character', message({ ...track, properties: { note: 'a\u0000b' } }), 'invalid_field'],
    ['traits not an object', message({ type: 'identify', messageId: 'm', userId: 'u1', traits: 'vip' }), 'invalid_field'],
    ['unsupported version', message({ ...track, version: 3 }), 'unsupported_version'],
    ['key is not the userId', message(track, { key: 'someone-else' }), 'key_mismatch'],
    ['no workspace', message(track, { header: undefined }), 'missing_workspace'],
    ['workspace not a UUID', message(track, { header: 'acme' }), 'unknown_workspace'],
  ])('dead-letters %s as %s', (_name, input, reason) => {
    const result = parseEvent(input, 65_536);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.detail).not.toContain('x'.repeat(50));
  });
});
