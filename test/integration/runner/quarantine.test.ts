import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { countPartitionAttempt, listPartitionAttempts } from '@canvas/db';
import { deadLetterHeaders } from '@canvas/kafka';
import { createRunnerTestBed, readMetric, startRunnerProcess, waitFor, type RunnerTestBed } from '@canvas/test-support';

const events = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `u${i}`,
    value: JSON.stringify({ type: 'track', messageId: `m${i}`, userId: `u${i}`, event: 'viewed' }),
  }));

/** What a runner that died on `offset` leaves behind after `times` starts. */
async function diedOn(bed: RunnerTestBed, group: string, offset: number, times: number) {
  for (let i = 0; i < times; i += 1)
    await countPartitionAttempt(bed.database.db, { group, topic: bed.topic, partition: 0 }, BigInt(offset), new Date());
}

async function storeOffset(bed: RunnerTestBed, group: string, next: number) {
  await sql`INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset)
    VALUES (${group}, ${bed.topic}, 0, ${next})`.execute(bed.database.db);
}

describe('a message runners keep dying on', () => {
  let bed: RunnerTestBed;
  beforeEach(async () => {
    bed = await createRunnerTestBed(1, 1);
  });
  afterEach(async () => bed.close());

  it('is quarantined to the dead-letter topic on the fifth start, and the partition moves on', async () => {
    const env = bed.env();
    const group = env.CONSUMER_GROUP!;
    await bed.produce(events(6));
    // two messages were applied, then runners died four times on the third
    await storeOffset(bed, group, 2);
    await diedOn(bed, group, 2, 4);

    const runner = startRunnerProcess(env);
    const opsUrl = await runner.opsUrl();
    await waitFor(async () => (await bed.processed(group)) === 6, {
      what: 'the partition past the quarantined message',
    });

    const [letter] = await bed.readDeadLetters(1);
    expect(letter?.headers[deadLetterHeaders.reason]).toBe('quarantined');
    expect(letter?.headers[deadLetterHeaders.sourceOffset]).toBe('2');
    expect(letter?.headers[deadLetterHeaders.detail]).toBe(
      'the runner started on this message 5 times without getting past it',
    );
    expect(await readMetric(opsUrl, 'canvas_runner_quarantined_total')).toBe(1);
    expect(await readMetric(opsUrl, 'canvas_runner_careful_batches_total')).toBe(1);
    expect(await readMetric(opsUrl, 'canvas_runner_events_total', { outcome: 'applied' })).toBe(3);
    expect(await listPartitionAttempts(bed.database.db, group, bed.topic)).toEqual([]);
    const applied = await sql<{ message_id: string }>`
      SELECT message_id FROM processed_messages ORDER BY message_id`.execute(bed.database.db);
    expect(applied.rows.map((r) => r.message_id)).toEqual(['m3', 'm4', 'm5']);
  });

  it('is applied one message at a time after a single death, and nothing good is dead-lettered', async () => {
    const env = bed.env({ QUARANTINE_AFTER: '3' });
    const group = env.CONSUMER_GROUP!;
    await bed.produce(events(20));
    await diedOn(bed, group, 0, 1);

    const runner = startRunnerProcess(env);
    const opsUrl = await runner.opsUrl();
    await waitFor(async () => (await bed.processed(group)) === 20, { what: 'every message applied' });

    expect(await readMetric(opsUrl, 'canvas_runner_careful_batches_total')).toBe(1);
    expect(await readMetric(opsUrl, 'canvas_runner_events_total', { outcome: 'applied' })).toBe(20);
    expect(await readMetric(opsUrl, 'canvas_runner_events_total', { outcome: 'dead_lettered' })).toBe(0);
    expect(await listPartitionAttempts(bed.database.db, group, bed.topic)).toEqual([]);
  });

  it(
    'is counted only on fresh starts: a runner that gets past its first message ' + 'leaves no attempts behind',
    async () => {
      const env = bed.env();
      const group = env.CONSUMER_GROUP!;
      await bed.produce(events(10));
      const runner = startRunnerProcess(env);
      const opsUrl = await runner.opsUrl();
      await waitFor(async () => (await bed.processed(group)) === 10, { what: 'every message applied' });
      expect(await readMetric(opsUrl, 'canvas_runner_careful_batches_total')).toBe(0);
      expect(await listPartitionAttempts(bed.database.db, group, bed.topic)).toEqual([]);
    },
  );
});
