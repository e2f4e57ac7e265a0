export { provideInfrastructure, type Infrastructure } from './infrastructure.ts';
export { createTestDatabase, type TestDatabase } from './database.ts';
export { testBrokers, testKafka, createTestTopic, uniqueName } from './kafka.ts';
export { waitFor } from './wait.ts';
export { startNode, stopAllProcesses, type RunningProcess } from './process.ts';
export { startApiHarness, type ApiHarness } from './api-harness.ts';
export { abandonedCartCanvas } from './canvases.ts';
export { seedWorkspace, seedLaunchedCanvas } from './seed.ts';
export { startRunnerProcess, startSyncProcess, waitForLog, readMetric, type ServiceProcess } from './runner-process.ts';
