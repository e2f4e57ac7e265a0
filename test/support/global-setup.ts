import { provideInfrastructure, type Infrastructure } from './infrastructure.ts';
import { prepareTemplate } from './database.ts';

declare global {
  var canvasTestInfrastructure: Infrastructure | undefined;
}

/** Starts (or finds) Kafka and PostgreSQL once for all integration and end-to-end tests. */
export default async function globalSetup(): Promise<void> {
  if (globalThis.canvasTestInfrastructure) return;
  const infrastructure = await provideInfrastructure();
  globalThis.canvasTestInfrastructure = infrastructure;
  process.env.TEST_KAFKA_BROKERS = infrastructure.kafkaBrokers.join(',');
  // a second checkout testing at the same time names its own template, so neither drops the other's databases
  process.env.TEST_DATABASE_TEMPLATE_URL = await prepareTemplate(
    infrastructure.databaseUrl,
    process.env.TEST_DATABASE_TEMPLATE ?? undefined,
  );
  process.stderr.write(`\n[test] ${infrastructure.description.join('; ')}\n`);
}
