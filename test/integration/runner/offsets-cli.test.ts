import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { offsetsCommand } from '@canvas/cli';
import { countPartitionAttempt, listPartitionAttempts } from '@canvas/db';
import { deadLetterHeaders } from '@canvas/kafka';
import {
  createRunnerTestBed,
  startRunnerProcess,
  testBrokers,
  waitFor,
  type RunnerTestBed,
} from '@canvas/test-support';

/** Runs the CLI command in this process and answers its JSON lines. */
async function cli(args: string[], env: Record<string, string>): Promise<unknown[]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await offsetsCommand(args, env, out);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

describe('the operator’s offsets command', () => {
  let bed: RunnerTestBed;
  let env: Record<string, string>;
  let group: string;

  beforeAll(async () => {
    bed = await createRunnerTestBed(1, 1);
    env = { ...bed.env(), KAFKA_BROKERS: testBrokers().join(','), USER: 'test' };
    group = env.CONSUMER_GROUP!;
    await bed.produce(
      [0, 1, 2].map((i) => ({
        key: `u${i}`,
        value: JSON.stringify({ type: 'track', messageId: `m${i}`, userId: `u${i}`, event: 'viewed' }),
      })),
    );
    // one message applied, then runners died twice on the second
    await sql`INSERT INTO consumer_offsets (consumer_group, topic, partition, next_offset)
      VALUES (${group}, ${bed.topic}, 0, 1)`.execute(bed.database.db);
    const at = { group, topic: bed.topic, partition: 0 };
    await countPartitionAttempt(bed.database.db, at, 1n, new Date('2026-12-07T10:00:00Z'));
    await countPartitionAttempt(bed.database.db, at, 1n, new Date('2026-12-07T10:00:05Z'));
  });

  afterAll(async () => bed.close());

  it('shows where each partition stands, its lag and the message runners keep failing on', async () => {
    expect(await cli([], env)).toEqual([
      {
        partition: 0,
        storedOffset: '1',
        endOffset: '3',
        lag: '2',
        failingOffset: '1',
        starts: 2,
        failingSince: '2026-12-07T10:00:00.000Z',
      },
    ]);
  });

  it('refuses to skip any message but the one the partition stands on', async () => {
    await expect(cli(['skip', '--partition', '0', '--offset', '2', '--reason', 'x'], env)).rejects.toThrow(
      'partition 0 stands on offset 1, not 2; nothing skipped',
    );
  });

  it('skips it: dead-lettered with the reason, recorded, and the runner goes on after it', async () => {
    const args = ['skip', '--partition', '0', '--offset', '1', '--reason', 'crashes the runner', '--by', 'sre-on-call'];
    expect(await cli(args, env)).toEqual([{ partition: 0, skipped: '1', deadLettered: true, storedOffset: '2' }]);

    const [letter] = await bed.readDeadLetters(1);
    expect(letter?.headers[deadLetterHeaders.reason]).toBe('operator_skipped');
    expect(letter?.headers[deadLetterHeaders.detail]).toBe('skipped by an operator: crashes the runner');
    expect(letter?.headers[deadLetterHeaders.sourceOffset]).toBe('1');
    expect(JSON.parse(letter!.value!.toString('utf8'))).toMatchObject({ messageId: 'm1' });
    const skips = await sql<{ message_offset: string; reason: string; skipped_by: string; dead_lettered: boolean }>`
      SELECT message_offset, reason, skipped_by, dead_lettered FROM offset_skips`.execute(bed.database.db);
    expect(skips.rows).toEqual([
      { message_offset: '1', reason: 'crashes the runner', skipped_by: 'sre-on-call', dead_lettered: true },
    ]);
    expect(await listPartitionAttempts(bed.database.db, group, bed.topic)).toEqual([]);

    startRunnerProcess(env);
    await waitFor(async () => (await bed.processed(group)) === 3, { what: 'the runner past the skipped message' });
    const applied = await sql<{ message_id: string }>`SELECT message_id FROM processed_messages`.execute(
      bed.database.db,
    );
    expect(applied.rows).toEqual([{ message_id: 'm2' }]);
  });
});
