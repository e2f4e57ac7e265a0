import { randomUUID } from 'node:crypto';
import { cartAbandonersSegmentExample, SegmentDefinition, type CanvasDefinitionInput } from '@canvas/canvas';
import { insertSegment } from '@canvas/db';
import { seedBehaviour } from './behaviour.ts';
import { createRunnerTestBed, type RunnerTestBed } from './runner-bed.ts';
import { readMetric, startRunnerProcess, waitForLog, type ServiceProcess } from './runner-process.ts';
import { seedLaunchedCanvas } from './seed.ts';
import { shoppers } from './shoppers.ts';

/** A canvas to launch into a bed's workspace, its Facebook steps pointed at `audience` if given. */
export interface BedCanvas {
  id: string;
  definition: CanvasDefinitionInput;
  audience?: { adAccountId: string; metaAccountId: string; audienceId: string };
}

/** A runner test bed with these canvases launched in its workspace. */
export async function createSeededRunnerBed(
  partitions: number,
  canvases: readonly BedCanvas[],
  dlqPartitions = 1,
): Promise<RunnerTestBed> {
  const bed = await createRunnerTestBed(partitions, dlqPartitions);
  for (const canvas of canvases) await seedLaunchedCanvas(bed.database.db, { ...canvas, workspaceId: bed.workspaceId });
  return bed;
}

/** A canvas whose users enter on `event` (with any further entry settings) and leave at once. */
export function exitCanvas(
  name: string,
  event: string,
  entry: Omit<CanvasDefinitionInput['entry'], 'trigger' | 'segment'> = {},
): CanvasDefinitionInput {
  return { name, entry: { trigger: { event }, ...entry }, firstStep: 'end', steps: [{ id: 'end', kind: 'exit' }] };
}

/** Three partitions (and three for dead letters) and a canvas that every "viewed" event enters and leaves. */
export function createViewersBed(): Promise<RunnerTestBed> {
  return createSeededRunnerBed(3, [{ id: randomUUID(), definition: exitCanvas('viewers', 'viewed') }], 3);
}

export interface ReadyRunner extends ServiceProcess {
  /** One metric's value from the runner's ops endpoint, summed over the label filter. */
  metric: (name: string, labels?: Record<string, string>) => Promise<number>;
}

/** The partitions of `topic` a runner process was last given, from its JSON log. */
export function lastAssignment(runner: ServiceProcess, topic: string): number[] {
  const lines = runner
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"partitions assigned"'));
  const last = lines[lines.length - 1];
  if (!last) return [];
  return (JSON.parse(last) as { assignment: Record<string, number[]> }).assignment[topic] ?? [];
}

/** A journey runner process, once it has logged its start. */
export async function startReadyRunner(env: Record<string, string>): Promise<ReadyRunner> {
  const runner = startRunnerProcess(env);
  await waitForLog(runner, 'journey runner started');
  return { ...runner, metric: async (name, labels) => readMetric(await runner.opsUrl(), name, labels) };
}

/** A runner test bed (two partitions) whose workspace holds `count` shoppers' behaviour as of `at`. */
export async function createShopperBed(count: number, at: Date, seed: number): Promise<RunnerTestBed> {
  const bed = await createRunnerTestBed(2);
  await seedBehaviour(bed.database.db, bed.workspaceId, shoppers(count, at, seed));
  return bed;
}

/** Stores the documented cart-abandoners segment in the bed's workspace; answers its id. */
export async function insertCartAbandonersSegment(bed: RunnerTestBed, now: Date): Promise<string> {
  const id = randomUUID();
  await insertSegment(bed.database.db, {
    id,
    workspaceId: bed.workspaceId,
    definition: SegmentDefinition.parse(cartAbandonersSegmentExample),
    now,
  });
  return id;
}
