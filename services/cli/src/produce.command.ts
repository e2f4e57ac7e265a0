import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createKafka, createProducer, type OutboundMessage } from '@canvas/kafka';
import { createLogger, logProcessWarnings } from '@canvas/runtime';

function devSetting(name: string): string | undefined {
  try {
    const line = readFileSync('.local/dev.env', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}=`));
    return line?.slice(name.length + 1);
  } catch {
    return undefined;
  }
}

/**
 * `pnpm --silent cli produce [--workspace ID] [--topic T]`: JSON events on stdin, one per line,
 * sent the way producers must send them (key = userId, workspace in the "workspace-id" header).
 */
export async function produceCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { workspace: { type: 'string' }, topic: { type: 'string' } },
    strict: true,
  });
  const workspaceId = values.workspace ?? env.CANVAS_WORKSPACE_ID ?? devSetting('WORKSPACE_ID');
  if (!workspaceId) throw new Error('which workspace? pass --workspace ID (make dev writes it to .local/dev.env)');
  logProcessWarnings(createLogger({ name: 'produce', level: 'warn' }));
  const brokers = (env.KAFKA_BROKERS ?? devSetting('KAFKA_BROKERS') ?? '127.0.0.1:9092').split(',');
  const topic = values.topic ?? env.EVENTS_TOPIC ?? 'canvas.user-events';
  const producer = await createProducer(createKafka({ brokers, clientId: 'canvas-cli-produce' }));
  const messages: OutboundMessage[] = [];
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    let key: string | null = null;
    try {
      const userId = (JSON.parse(line) as { userId?: unknown }).userId;
      key = typeof userId === 'string' ? userId : null;
    } catch {
      // sent anyway: the runner dead-letters it with the reason, which is what this command is for too
    }
    messages.push({ key, value: line, headers: { 'workspace-id': workspaceId } });
  }
  await producer.send(topic, messages);
  await producer.disconnect();
  process.stdout.write(`${JSON.stringify({ sent: messages.length, topic, workspaceId })}\n`);
}
