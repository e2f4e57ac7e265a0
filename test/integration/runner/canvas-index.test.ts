import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertWorkspace, transitionCanvas } from '@canvas/db';
import { createRunner, runnerConfigSchema, type Runner } from '@canvas/journey-runner';
import { createLogger, createMetricsRegistry, runChecks } from '@canvas/runtime';
import { createRunnerTestBed, seedLaunchedCanvas, waitFor, type RunnerTestBed } from '@canvas/test-support';

describe('the runner canvas index', () => {
  let bed: RunnerTestBed;
  let runner: Runner;

  beforeAll(async () => {
    bed = await createRunnerTestBed(1);
    const config = runnerConfigSchema.parse(bed.env({ CANVAS_REFRESH_INTERVAL: '1h', LOG_LEVEL: 'silent' }));
    runner = await createRunner({
      config,
      db: bed.database.db,
      logger: createLogger({ name: 'index-test', level: 'silent' }),
      registry: createMetricsRegistry('journey-runner'),
    });
    await runner.start();
  });

  afterAll(async () => {
    await runner?.stop();
    await bed.close();
  });

  it(
    'is ready, and picks up a launch and a pause from PostgreSQL notifications, ' +
      'without waiting for the periodic refresh',
    async () => {
      // ready once the runner holds its place in the consumer group
      await waitFor(async () => (await runChecks(runner.readiness)).status === 'ok', { what: 'the runner ready' });
      expect(await runChecks(runner.readiness)).toEqual({
        status: 'ok',
        checks: { postgres: 'ok', kafka: 'ok', 'consumer-group': 'ok', 'canvas-index': 'ok' },
      });
      const { database, workspaceId } = bed;
      expect(runner.index.triggered(workspaceId, 'signed_up')).toEqual([]);
      const canvasId = randomUUID();
      await seedLaunchedCanvas(database.db, {
        id: canvasId,
        workspaceId,
        definition: {
          name: 'welcome',
          entry: { trigger: { event: 'signed_up' } },
          firstStep: 'end',
          steps: [{ id: 'end', kind: 'exit' }],
        },
      });
      // the periodic refresh is an hour away: only the notification can explain the change
      await waitFor(() => runner.index.triggered(workspaceId, 'signed_up').length === 1, {
        what: 'the launch in the index',
        timeoutMs: 5000,
        intervalMs: 20,
      });
      expect(runner.index.triggered(workspaceId, 'signed_up')[0]).toMatchObject({ status: 'running' });
      await transitionCanvas(database.db, workspaceId, canvasId, ['running'], 'paused', new Date());
      await waitFor(() => runner.index.triggered(workspaceId, 'signed_up')[0]?.status === 'paused', {
        what: 'the pause in the index',
        timeoutMs: 5000,
        intervalMs: 20,
      });
    },
  );

  it('applies the first events of workspaces created a moment before them, one right after another', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      await insertWorkspace(bed.database.db, { id, name: `fresh ${i}` });
      created.push(id);
      const event = { type: 'identify', messageId: `fresh-${i}`, userId: 'first-user', traits: { plan: 'trial' } };
      await bed.produce([{ key: 'first-user', value: JSON.stringify(event), headers: { 'workspace-id': id } }]);
    }
    const profiles = async () =>
      (
        await bed.database.db
          .selectFrom('user_profiles')
          .select('workspace_id')
          .where('workspace_id', 'in', created)
          .execute()
      ).length;
    await waitFor(async () => (await profiles()) === created.length, {
      what: "every new workspace's first event applied",
      timeoutMs: 30_000,
    });
  });
});
