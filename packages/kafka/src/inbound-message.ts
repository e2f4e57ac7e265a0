import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { InboundMessage } from './types.js';

/** Kafka headers as strings: the first value of each, UTF-8. */
function headerValues(headers: IHeaders | undefined): Record<string, string> {
  // no prototype: a header named __proto__ is kept as data like any other
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

/** A fetched message in the project's terms. */
export const toInboundMessage = (topic: string, partition: number, m: KafkaMessage): InboundMessage => ({
  topic,
  partition,
  offset: m.offset,
  key: m.key ?? null,
  value: m.value ?? null,
  headers: headerValues(m.headers),
  timestamp: m.timestamp,
});
