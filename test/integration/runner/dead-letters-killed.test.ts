import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { deadLetterHeaders, type InboundMessage, type OutboundMessage } from '@canvas/kafka';
import {
  createViewersBed,
  prng,
  startRunnerProcess,
  waitFor,
  type RunnerTestBed,
  type ServiceProcess,
} from '@canvas/test-support';

const good = 10_000;
const malformed = 500;

describe('dead letters across SIGKILLs', () => {
  let bed: RunnerTestBed;

  beforeAll(async () => {
    bed = await createViewersBed();
  });

  afterAll(async () => bed.close());

  it('gives every copy of a dead letter the same id, so each malformed message is counted once', async () => {
    const messages: OutboundMessage[] = [];
    for (let i = 0; i < good + malformed; i += 1) {
      const user = `u${i % 997}`;
      messages.push(
        i % 21 === 20
          ? { key: user, value: `{"type":"track","messageId":"bad-${i}",` }
          : {
              key: user,
              value: JSON.stringify({ type: 'track', messageId: `ok-${i}`, userId: user, event: 'viewed' }),
            },
      );
    }
    expect(messages.filter((m) => String(m.value).endsWith(',')).length).toBe(malformed);
    await bed.produce(messages);

    const env = bed.env({ BATCH_MAX_MESSAGES: '40' });
    let runner: ServiceProcess = startRunnerProcess(env);
    const random = prng(Date.now() % 100_000);
    for (const moment of [0.15, 0.35, 0.55, 0.75].map((m) => m + random() * 0.1)) {
      await waitFor(async () => (await bed.processed(env.CONSUMER_GROUP!)) >= moment * messages.length, {
        what: `${Math.round(moment * 100)} % processed`,
        timeoutMs: 240_000,
        intervalMs: 20,
      });
      expect(await runner.stop('SIGKILL')).toBe('SIGKILL');
      runner = startRunnerProcess(env);
    }
    await waitFor(async () => (await bed.processed(env.CONSUMER_GROUP!)) === messages.length, {
      what: 'every message',
      timeoutMs: 240_000,
      intervalMs: 250,
    });
    expect(await runner.stop('SIGTERM')).toBe(0);

    const ends = await bed.admin.topicOffsets(bed.dlq);
    const letters = await bed.readDeadLetters(ends.reduce((sum, p) => sum + Number(p.high), 0));

    const byId = new Map<string, InboundMessage[]>();
    for (const letter of letters) {
      const id = letter.headers[deadLetterHeaders.id] ?? 'none';
      byId.set(id, [...(byId.get(id) ?? []), letter]);
    }
    expect(byId.size).toBe(malformed);
    for (const [id, copies] of byId) {
      const [sourceTopic, partition, offset] = id.split('/');
      expect(sourceTopic).toBe(bed.topic);
      for (const copy of copies) {
        expect(copy.headers[deadLetterHeaders.sourcePartition]).toBe(partition);
        expect(copy.headers[deadLetterHeaders.sourceOffset]).toBe(offset);
        expect(copy.value?.toString()).toBe(copies[0]!.value?.toString());
      }
    }
    const journeys = await sql<{ n: number }>`SELECT count(*)::int AS n FROM processed_messages`.execute(
      bed.database.db,
    );
    expect(journeys.rows[0]?.n).toBe(good);
    console.info(
      `dead letters: ${letters.length} published for ${malformed} malformed messages across 4 SIGKILLs ` +
        `(${letters.length - malformed} re-published copies, all with their first copy's id)`,
    );
  });
});
