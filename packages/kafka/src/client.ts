import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { KafkaLogger } from './types.js';

export interface KafkaSettings {
  brokers: readonly string[];
  clientId: string;
  logger?: KafkaLogger;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** The kafkajs client, configured with the project's logger and retry policy. */
export function createKafka(settings: KafkaSettings): Kafka {
  const logger = settings.logger;
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    requestTimeout: settings.requestTimeoutMs ?? 30_000,
    retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = entry.log;
      const fields = { kafka: entry.namespace, ...rest };
      if (entry.level === logLevel.ERROR) logger.error(fields, message);
      else if (entry.level === logLevel.WARN) logger.warn(fields, message);
      else if (entry.level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    },
  });
}
