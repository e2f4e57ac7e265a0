import { parseArgs } from 'node:util';
import {
  createDatabase,
  defaultDatabaseUrl,
  listPartitionAttempts,
  skipPartitionOffset,
  storedOffsets,
  type Db,
} from '@canvas/db';
import { createAdmin, createKafka, createProducer, publishDeadLetters, readMessageAt } from '@canvas/kafka';

const usage = `usage:
  pnpm --silent cli offsets [--group G] [--topic T]
      one JSON line per partition: the offset stored with the effects, the end of the partition,
      the lag, and any message runners keep failing on
  pnpm --silent cli offsets skip --partition P --offset O --reason TEXT [--by NAME] [--no-dead-letter]
      moves the partition past the message it stands on, dead-letters it (reason operator_skipped)
      and records who skipped it and why`;

interface Settings {
  group: string;
  topic: string;
  deadLetterTopic: string;
  brokers: string[];
  databaseUrl: string;
}

function settings(values: { group?: string | undefined; topic?: string | undefined }, env: NodeJS.ProcessEnv) {
  return {
    group: values.group ?? env.CONSUMER_GROUP ?? 'canvas-journey-runner',
    topic: values.topic ?? env.EVENTS_TOPIC ?? 'canvas.user-events',
    deadLetterTopic: env.DEAD_LETTER_TOPIC ?? 'canvas.user-events.dlq',
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    databaseUrl: env.DATABASE_URL ?? defaultDatabaseUrl,
  } satisfies Settings;
}

async function show(db: Db, s: Settings, out: NodeJS.WritableStream) {
  const kafka = createKafka({ brokers: s.brokers, clientId: 'canvas-cli-offsets' });
  const admin = await createAdmin(kafka);
  try {
    const [ends, stored, attempts] = await Promise.all([
      admin.topicOffsets(s.topic),
      storedOffsets(db, s.group, s.topic),
      listPartitionAttempts(db, s.group, s.topic),
    ]);
    for (const end of ends) {
      const next = stored.get(end.partition) ?? BigInt(end.low);
      const failing = attempts.find((a) => a.partition === end.partition);
      const line = {
        partition: end.partition,
        storedOffset: next.toString(),
        endOffset: end.high,
        lag: (BigInt(end.high) - next).toString(),
        ...(failing && {
          failingOffset: failing.offset.toString(),
          starts: failing.attempts,
          failingSince: failing.firstAt.toISOString(),
        }),
      };
      out.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    await admin.disconnect();
  }
}

async function skip(db: Db, s: Settings, args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream) {
  const { values } = parseArgs({
    args: [...args],
    options: {
      partition: { type: 'string' },
      offset: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
      'no-dead-letter': { type: 'boolean', default: false },
      group: { type: 'string' },
      topic: { type: 'string' },
    },
    strict: true,
  });
  const partition = Number(values.partition);
  if (!Number.isInteger(partition) || partition < 0 || !/^\d+$/.test(values.offset ?? '') || !values.reason?.trim())
    throw new Error(usage);
  const offset = BigInt(values.offset!);
  const at = { group: s.group, topic: s.topic, partition };
  const stored = (await storedOffsets(db, s.group, s.topic)).get(partition) ?? 0n;
  if (stored !== offset)
    throw new Error(`partition ${partition} stands on offset ${stored}, not ${offset}; nothing skipped`);

  const kafka = createKafka({ brokers: s.brokers, clientId: 'canvas-cli-offsets' });
  let deadLettered = false;
  if (!values['no-dead-letter']) {
    const message = await readMessageAt(kafka, { topic: s.topic, partition, offset: offset.toString() });
    if (!message) throw new Error(`the broker no longer holds offset ${offset}; skip with --no-dead-letter`);
    const producer = await createProducer(kafka);
    // published first: a skip interrupted here is run again, and the copy carries the same dlq-id
    await publishDeadLetters(producer, s.deadLetterTopic, [
      { message, reason: 'operator_skipped', detail: `skipped by an operator: ${values.reason.trim()}` },
    ]);
    await producer.disconnect();
    deadLettered = true;
  }
  const skippedBy = values.by ?? env.USER ?? 'operator';
  const result = await db
    .transaction()
    .execute((tx) =>
      skipPartitionOffset(tx, at, { offset, deadLettered, reason: values.reason!.trim(), skippedBy, now: new Date() }),
    );
  if (!result.ok)
    throw new Error(`partition ${partition} moved on to ${result.storedOffset} meanwhile; nothing skipped`);
  const skipped = { partition, skipped: offset.toString(), deadLettered, storedOffset: (offset + 1n).toString() };
  out.write(`${JSON.stringify(skipped)}\n`);
}

/** `pnpm --silent cli offsets …`: where each partition stands, and skipping a message by hand. */
export async function offsetsCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const action = args[0]?.startsWith('--') === false ? args[0] : undefined;
  const rest = action === undefined ? args : args.slice(1);
  const { values } = parseArgs({
    args: [...rest],
    options: { group: { type: 'string' }, topic: { type: 'string' } },
    strict: false,
  });
  const s = settings(
    {
      group: typeof values.group === 'string' ? values.group : undefined,
      topic: typeof values.topic === 'string' ? values.topic : undefined,
    },
    env,
  );
  if (action !== undefined && action !== 'skip') throw new Error(usage);
  const db = createDatabase({ url: s.databaseUrl, maxConnections: 2, applicationName: 'canvas-cli-offsets' });
  try {
    if (action === 'skip') await skip(db, s, rest, env, out);
    else await show(db, s, out);
  } finally {
    await db.destroy();
  }
}
