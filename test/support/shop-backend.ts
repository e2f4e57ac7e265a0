import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { testBrokers } from './kafka.ts';

/** An upstream shop backend for end-to-end tests: a plain kafkajs producer, connected, not the engine's client. */
export async function connectShopBackend(): Promise<Producer> {
  const kafka = new Kafka({ clientId: 'shop-backend', brokers: testBrokers(), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}
