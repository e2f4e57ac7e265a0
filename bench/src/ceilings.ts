import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Kafka's own consumer performance tool on the topic: the broker's ceiling on this machine, messages/s. */
export function brokerCeiling(brokers: readonly string[], topic: string, messages: number): number {
  const classpath = execFileSync('bash', [`${root}deploy/local/kafka.sh`, 'classpath'])
    .toString()
    .trim();
  const output = execFileSync(
    'java',
    [
      '-Xmx512m',
      `-Dlog4j2.configurationFile=${root}deploy/local/kafka/tools-log4j2.properties`,
      '-cp',
      classpath,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      brokers.join(','),
      '--topic',
      topic,
      '--messages',
      String(messages),
      '--group',
      `perf-${randomBytes(3).toString('hex')}`,
      '--timeout',
      '60000',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
  const lines = output.trim().split('\n');
  const header =
    lines
      .find((l) => l.includes('nMsg.sec'))
      ?.split(',')
      .map((s) => s.trim()) ?? [];
  const values = lines[lines.length - 1]?.split(',').map((s) => s.trim()) ?? [];
  // fetch.nMsg.sec leaves out the group join, as the other figures do
  const index =
    header.lastIndexOf('fetch.nMsg.sec') >= 0 ? header.lastIndexOf('fetch.nMsg.sec') : header.indexOf('nMsg.sec');
  return Number(values[index]);
}

/** A bare kafkajs eachBatch consumer that only decodes JSON: the client's ceiling, messages/s. */
export async function clientCeiling(brokers: readonly string[], topic: string, messages: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-bare', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bare-${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let firstAt = 0;
  let firstSeen = 0;
  let doneAt = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        if (firstAt === 0) firstAt = Date.now();
        for (const message of batch.messages) JSON.parse(message.value?.toString('utf8') ?? 'null');
        seen += batch.messages.length;
        if (firstSeen === 0) firstSeen = seen;
        if (seen >= messages && doneAt === 0) {
          doneAt = Date.now();
          resolve();
        }
      },
    });
  });
  await done;
  await consumer.disconnect();
  return (messages - firstSeen) / ((doneAt - firstAt) / 1000);
}
