import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deadLetterHeaders, type OutboundMessage } from '@canvas/kafka';
import { createViewersBed, readMetric, startReadyRunner, waitFor, type RunnerTestBed } from '@canvas/test-support';

/** Ten kinds of broken messages, a hundred of each. */
function malformed(i: number, workspaceId: string): { kind: string; message: OutboundMessage } {
  const user = `u${i}`;
  const headers = { 'workspace-id': workspaceId };
  const good = { type: 'track', messageId: `bad-${i}`, userId: user, event: 'viewed' };
  const kinds: [string, OutboundMessage][] = [
    ['invalid_json', { key: user, value: '{"type": "track",', headers }],
    ['not_an_object', { key: user, value: '[1,2,3]', headers }],
    ['missing_message_id', { key: user, value: JSON.stringify({ ...good, messageId: undefined }), headers }],
    ['missing_user_id', { key: null, value: JSON.stringify({ ...good, userId: undefined }), headers }],
    ['unknown_type', { key: user, value: JSON.stringify({ ...good, type: 'purchase' }), headers }],
    ['too_large', { key: user, value: JSON.stringify({ ...good, properties: { blob: 'x'.repeat(70_000) } }), headers }],
    ['invalid_timestamp', { key: user, value: JSON.stringify({ ...good, timestamp: 'last tuesday' }), headers }],
    ['missing_event_name', { key: user, value: JSON.stringify({ ...good, event: undefined }), headers }],
    ['missing_workspace', { key: user, value: JSON.stringify(good), headers: {} }],
    ['unknown_workspace', { key: user, value: JSON.stringify(good), headers: { 'workspace-id': randomUUID() } }],
  ];
  const [kind, message] = kinds[i % kinds.length]!;
  return { kind, message };
}

describe('malformed input', () => {
  let bed: RunnerTestBed;

  beforeAll(async () => {
    bed = await createViewersBed();
  });

  afterAll(async () => bed.close());

  it(
    'dead-letters 1,000 malformed messages of 10 kinds with their reason, and ' + 'applies the good ones around them',
    async () => {
      const messages: OutboundMessage[] = [];
      const expected = new Map<string, number>();
      for (let i = 0; i < 1000; i += 1) {
        const { kind, message } = malformed(i, bed.workspaceId);
        expected.set(kind, (expected.get(kind) ?? 0) + 1);
        messages.push(message);
        messages.push({
          key: `ok${i}`,
          value: JSON.stringify({ type: 'track', messageId: `ok-${i}`, userId: `ok${i}`, event: 'viewed' }),
        });
      }
      // small requests: a hundred of the messages are 70 KB each
      await bed.produce(messages, { perRequest: 200 });

      const runner = await startReadyRunner(bed.env());
      await waitFor(
        async () =>
          Number(
            (
              await bed.database.db
                .selectFrom('journeys')
                .select((eb) => eb.fn.countAll<string>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ) === 1000,
        { what: 'the 1,000 good events', timeoutMs: 120_000 },
      );

      const letters = await bed.readDeadLetters(1000);

      const byReason = new Map<string, number>();
      for (const letter of letters)
        byReason.set(
          letter.headers[deadLetterHeaders.reason] ?? 'none',
          (byReason.get(letter.headers[deadLetterHeaders.reason] ?? 'none') ?? 0) + 1,
        );
      expect(Object.fromEntries(byReason)).toEqual(Object.fromEntries(expected));
      for (const letter of letters) {
        expect(letter.headers[deadLetterHeaders.sourceTopic]).toBe(bed.topic);
        expect(letter.headers[deadLetterHeaders.detail]?.length).toBeGreaterThan(0);
        expect(letter.headers[deadLetterHeaders.detail]).not.toContain('xxxxxxxxxx');
      }
      // the original bytes are kept
      expect(letters.find((l) => l.headers[deadLetterHeaders.reason] === 'invalid_json')?.value?.toString()).toBe(
        '{"type": "track",',
      );

      const opsUrl = await runner.opsUrl();
      expect(await readMetric(opsUrl, 'canvas_runner_dead_letters_total')).toBe(1000);
      expect(await readMetric(opsUrl, 'canvas_runner_dead_letters_total', { reason: 'too_large' })).toBe(100);
      expect(await readMetric(opsUrl, 'canvas_runner_events_total', { outcome: 'applied' })).toBe(1000);
      expect(runner.child.exitCode).toBeNull();
      expect(await runner.stop('SIGTERM')).toBe(0);
    },
  );
});
