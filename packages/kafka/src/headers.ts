import type { IHeaders } from 'kafkajs';

/** Kafka headers as strings: the first value of each, UTF-8. */
export function headerValues(headers: IHeaders | undefined): Record<string, string> {
  // no prototype: a header named __proto__ is kept as data like any other
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
