export { provideInfrastructure, type Infrastructure } from './infrastructure.ts';
export { createTestDatabase, prepareTemplate, type TestDatabase } from './database.ts';
export { testBrokers, testKafka, createTestTopic, uniqueName } from './kafka.ts';
export { waitFor } from './wait.ts';
export { startNode, stopAllProcesses, type RunningProcess } from './process.ts';
export { startApiHarness, facebookLoginRedirectUri, type ApiHarness } from './api-harness.ts';
export {
  abandonedCartCanvas,
  audienceStep,
  removalStep,
  triggeredCanvas,
  viewersToAudienceCanvas,
} from './canvases.ts';
export { seedWorkspace, seedLaunchedCanvas } from './seed.ts';
export { startRunnerProcess, startSyncProcess, waitForLog, readMetric, type ServiceProcess } from './runner-process.ts';
export { workloadCanvases, workloadMessages, prng } from './workload.ts';
export { startSyncHarness, stepTotals, syntheticUsers, type SyncHarness, type SyncAccount } from './sync-harness.ts';
export { startSystem, type RunningSystem } from './system.ts';
export { startEndToEnd, useEndToEnd, type EndToEnd } from './end-to-end.ts';
export { newDesigner } from './designer.ts';
export { createRunnerTestBed, type RunnerTestBed } from './runner-bed.ts';
export { seedBehaviour, type SeededUser } from './behaviour.ts';
export { shoppers, cartAbandonerIds } from './shoppers.ts';
export { shopperMessages, type ShopperMessage } from './shopper-messages.ts';
export {
  createSeededRunnerBed,
  createShopperBed,
  createViewersBed,
  exitCanvas,
  insertCartAbandonersSegment,
  lastAssignment,
  startReadyRunner,
  type BedCanvas,
  type ReadyRunner,
} from './runner-kit.ts';
export { reconnectAccount, startReadySync, startScaledSyncHarness } from './sync-kit.ts';
export { twoBranchCanvas, dryRunShoppers, awaitDryRun, comparableNumbers, type DryRunAnswer } from './dry-run.ts';
export {
  addToSandbox,
  followingCanvas,
  readResync,
  requestStepResync,
  resyncReaches,
  rowOf,
  sandboxEmails,
  seedFollowing,
  type FollowingCanvas,
} from './resync-kit.ts';
