import type { InboundMessage, OutboundMessage, Producer } from './types.js';

/** Header names on a dead-lettered message. */
export const deadLetterHeaders = {
  /** `topic/partition/offset` of the source message: the same on every copy, so consumers can de-duplicate. */
  id: 'dlq-id',
  reason: 'dlq-reason',
  detail: 'dlq-detail',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  failedAt: 'dlq-failed-at',
} as const;

export interface DeadLetter {
  message: InboundMessage;
  /** A stable machine-readable reason, e.g. `invalid_json`. */
  reason: string;
  /** A short human explanation; never contains the payload. */
  detail: string;
}

/** A dead letter's stable identity: where its source message sits. A re-published copy carries the same. */
export const deadLetterId = (message: Pick<InboundMessage, 'topic' | 'partition' | 'offset'>) =>
  `${message.topic}/${message.partition}/${message.offset}`;

/** The original bytes and headers, plus the reason and where the message came from. */
export function toDeadLetterMessage(letter: DeadLetter, now: Date): OutboundMessage {
  const { message } = letter;
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [deadLetterHeaders.id]: deadLetterId(message),
      [deadLetterHeaders.reason]: letter.reason,
      [deadLetterHeaders.detail]: letter.detail.slice(0, 500),
      [deadLetterHeaders.sourceTopic]: message.topic,
      [deadLetterHeaders.sourcePartition]: String(message.partition),
      [deadLetterHeaders.sourceOffset]: message.offset,
      [deadLetterHeaders.failedAt]: now.toISOString(),
    },
  };
}

/** Publishes dead letters and waits for the broker's acknowledgement. */
export async function publishDeadLetters(
  producer: Producer,
  topic: string,
  letters: readonly DeadLetter[],
  now = new Date(),
): Promise<void> {
  await producer.send(
    topic,
    letters.map((letter) => toDeadLetterMessage(letter, now)),
  );
}
