import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createWorkspaceWithKey } from '@canvas/api';
import {
  addCounters,
  entriesForUser,
  insertAudienceEntries,
  setAdAccountStatus,
  type AudienceEntry,
  type NewAudienceEntry,
} from '@canvas/db';
import { unstorableKind, type EntryErrorCode } from '@canvas/canvas';
import { startApiHarness, stepTotals, type ApiHarness } from '@canvas/test-support';

interface RedriveAnswer {
  id: string;
  users: number;
  requestedBy: string;
  apiKeyId: string;
  note: string | null;
  moved: { errored: number; notSynced: number };
  skipped: Record<string, number>;
  progress: { pending: number; synced: number; notSynced: number; errored: number };
}

interface Target {
  canvasId: string;
  connectionId: string;
  metaAccountId: string;
  audienceId: string;
}

type Seeded = Partial<
  Pick<NewAudienceEntry, 'action' | 'entrySeq' | 'metaAccountId' | 'adAccountId' | 'audienceId'>
> & {
  userId: string;
  status: NewAudienceEntry['status'] | 'synced';
  code?: string;
  stepId?: string;
};

describe('re-driving a Facebook step', () => {
  let h: ApiHarness;
  let connectionId: string;
  let metaAccountId: string;

  beforeAll(async () => {
    h = await startApiHarness();
    const account = h.sandboxAccount();
    metaAccountId = account.accountId;
    const connected = await h.call('POST', '/v1/ad-accounts', {
      adAccountId: `act_${account.accountId}`,
      accessToken: account.token,
      makeDefault: true,
    });
    expect(connected.statusCode).toBe(201);
    connectionId = connected.json<{ id: string }>().id;
  });
  afterAll(async () => h.close());

  /** A launched canvas whose Facebook step "fb" (and "fb2", sharing its audience) sends to an audience it created. */
  const launchedCanvas = async (): Promise<Target> => {
    const created = await h.call('POST', '/v1/canvases', {
      name: `re-drive ${randomUUID().slice(0, 8)}`,
      entry: { trigger: { event: 'viewed' } },
      firstStep: 'fb',
      steps: [
        {
          id: 'fb',
          kind: 'facebook_audience',
          audience: { create: { name: `Redrive_${randomUUID().slice(0, 8)}` } },
          matchKeys: ['EMAIL'],
          next: 'fb2',
        },
        { id: 'fb2', kind: 'facebook_audience', audience: { fromStep: 'fb' }, matchKeys: ['EMAIL'], next: 'wait' },
        { id: 'wait', kind: 'delay', duration: '1m', next: null },
      ],
    });
    expect([created.statusCode, created.body]).toEqual([201, expect.any(String)]);
    const canvasId = created.json<{ id: string }>().id;
    expect((await h.call('POST', `/v1/canvases/${canvasId}/launch`)).statusCode).toBe(200);
    const audiences = (await h.call('GET', `/v1/canvases/${canvasId}`)).json<{ audiences: { audienceId: string }[] }>();
    return { canvasId, connectionId, metaAccountId, audienceId: audiences.audiences[0]!.audienceId };
  };

  /** Entries and their counters as the runner and the sync leave them, in the order given. */
  const seed = async (target: Target, rows: readonly Seeded[]) => {
    const now = new Date();
    for (const row of rows) {
      const { userId, status: wanted, code, stepId = 'fb', ...target_ } = row;
      const status = wanted === 'synced' ? 'pending' : wanted;
      const entry: NewAudienceEntry = {
        metaAccountId: target.metaAccountId,
        adAccountId: target.connectionId,
        workspaceId: h.workspaceId,
        audienceId: target.audienceId,
        action: 'add',
        canvasId: target.canvasId,
        version: 1,
        stepId,
        userId,
        entrySeq: 1,
        schema: ['EMAIL'],
        values: [`hash-of-${userId}`],
        status,
        enteredAt: now,
        deadlineAt: now,
        lastError: code ? { code: code as EntryErrorCode, message: `seeded ${code}`, at: now.toISOString() } : null,
        ...target_,
      };
      await h.database.db.transaction().execute(async (tx) => {
        await insertAudienceEntries(tx, [{ ...entry, status }]);
        if (wanted === 'synced')
          await sql`UPDATE audience_entries SET status = 'synced' WHERE canvas_id = ${target.canvasId}
            AND step_id = ${stepId} AND user_id = ${userId} AND entry_seq = ${entry.entrySeq}`.execute(tx);
        const at = { workspaceId: h.workspaceId, canvasId: target.canvasId, version: 1, stepId };
        await addCounters(
          tx,
          [
            { ...at, metric: 'entered', delta: 1 },
            { ...at, metric: wanted, delta: 1 },
          ],
          now,
          0,
        );
      });
    }
  };

  const redrive = (target: Target, options: { body?: unknown; key?: string; stepId?: string; apiKey?: string } = {}) =>
    h.app.inject({
      method: 'POST',
      url: `/v1/canvases/${target.canvasId}/steps/${options.stepId ?? 'fb'}/redrive`,
      headers: {
        authorization: `Bearer ${options.apiKey ?? h.apiKey}`,
        ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
    });

  const entry = async (target: Target, userId: string, stepId = 'fb'): Promise<AudienceEntry> =>
    (await entriesForUser(h.database.db, target.canvasId, stepId, userId))[0]!;

  const totalsOf = async (target: Target, stepId = 'fb') =>
    (await stepTotals(h.database.db)).find((t) => t.key === `${target.canvasId}/${stepId}`)!;

  it(
    "moves a step's Errored users to Pending with their counters, records who, when and how many, " +
      'and a second re-drive moves nobody',
    async () => {
      const target = await launchedCanvas();
      await seed(target, [
        ...['e1', 'e2', 'e3'].map((userId) => ({
          userId,
          status: 'errored' as const,
          code: 'CREDENTIAL_NOT_RESTORED',
        })),
        { userId: 'e4', status: 'errored', code: 'RETRY_WINDOW_OVER' },
        { userId: 'e5', status: 'errored', code: 'META_PERMISSION' },
        { userId: 'n1', status: 'not_synced', code: 'NO_MATCH_KEYS' },
        { userId: 'n2', status: 'not_synced', code: 'META_INVALID_ENTRY' },
        { userId: 's1', status: 'synced' },
        { userId: 'other-step', status: 'errored', code: 'CREDENTIAL_NOT_RESTORED', stepId: 'fb2' },
      ]);
      const before = Date.now();
      const first = await redrive(target, { body: { note: 'token reconnected' } });
      expect(first.statusCode).toBe(202);
      const made = first.json<RedriveAnswer>();
      expect(made).toMatchObject({
        users: 5,
        requestedBy: 'admin',
        note: 'token reconnected',
        moved: { errored: 5, notSynced: 0 },
        skipped: { final: 2, superseded: 0, erased: 0, optedOut: 0, noConnection: 0, busy: 0 },
        progress: { pending: 5, synced: 0, notSynced: 0, errored: 0 },
      });
      expect(await totalsOf(target)).toMatchObject({ entered: 8, pending: 5, errored: 0, notSynced: 2, synced: 1 });
      expect(await totalsOf(target, 'fb2')).toMatchObject({ entered: 1, errored: 1 });
      const moved = await entry(target, 'e1');
      expect(moved).toMatchObject({ status: 'pending', attempts: 0, redriveId: made.id, adAccountId: connectionId });
      // a fresh retry window, due at once; the last error stays until a send answers
      expect(moved.deadlineAt.getTime()).toBeGreaterThan(before + 12 * 3_600_000);
      expect(moved.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(moved.lastError).toMatchObject({ code: 'CREDENTIAL_NOT_RESTORED' });
      expect(await entry(target, 'n1')).toMatchObject({ status: 'not_synced', redriveId: null });

      const second = await redrive(target);
      expect(second.statusCode).toBe(202);
      expect(second.json<RedriveAnswer>()).toMatchObject({ users: 0, skipped: { final: 2 } });
      expect(await totalsOf(target)).toMatchObject({ pending: 5, errored: 0 });

      const listed = await h.call('GET', `/v1/canvases/${target.canvasId}/steps/fb/redrives`);
      expect(listed.statusCode).toBe(200);
      const list = listed.json<{ data: RedriveAnswer[] }>().data;
      expect(list.map((r) => [r.id, r.users])).toEqual([
        [second.json<RedriveAnswer>().id, 0],
        [made.id, 5],
      ]);
      expect(list[1]).toMatchObject({ progress: { pending: 5 }, requestedBy: 'admin' });
      const answer = await h.call('GET', `/v1/canvases/${target.canvasId}/steps/fb/users/e1`);
      expect(answer.json()).toMatchObject({ entries: [{ status: 'pending', redriveId: made.id }] });
    },
  );

  it('sends nobody twice when re-drives run at once; a repeated Idempotency-Key answers its first', async () => {
    const target = await launchedCanvas();
    await seed(
      target,
      Array.from({ length: 60 }, (_, i) => ({
        userId: `p${i}`,
        status: 'errored' as const,
        code: 'RETRY_WINDOW_OVER',
      })),
    );
    const answers = await Promise.all([
      redrive(target, { key: 'once-1' }),
      redrive(target, { key: 'once-1' }),
      redrive(target),
      redrive(target),
    ]);
    const bodies = answers.map((a) => a.json<RedriveAnswer>());
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 202, 202, 202]);
    expect(bodies[0]!.id).toBe(bodies[1]!.id);
    const distinct = new Map(bodies.map((b) => [b.id, b.users]));
    expect(distinct.size).toBe(3);
    expect([...distinct.values()].sort((a, b) => a - b)).toEqual([0, 0, 60]);
    expect(await totalsOf(target)).toMatchObject({ entered: 60, pending: 60, errored: 0 });
    const rows = await h.database.db
      .selectFrom('redrives')
      .select('users')
      .where('canvas_id', '=', target.canvasId)
      .execute();
    expect(rows.map((r) => r.users).sort((a, b) => a - b)).toEqual([0, 0, 60]);

    // the key is the workspace's: another step's re-drive cannot reuse it
    const reused = await redrive(target, { key: 'once-1', stepId: 'fb2' });
    expect([reused.statusCode, reused.json<{ code: string }>().code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it(
    'leaves users a later entry superseded, erased users and adds of users who opted out since, ' +
      "and sends the rest through the workspace's current connection",
    async () => {
      const target = await launchedCanvas();
      const removedConnection = randomUUID();
      await seed(target, [
        { userId: 'later', status: 'errored', code: 'CREDENTIAL_NOT_RESTORED' },
        { userId: 'later', status: 'synced', entrySeq: 2 },
        { userId: 'erased', status: 'errored', code: 'CREDENTIAL_NOT_RESTORED' },
        { userId: 'opted-out', status: 'errored', code: 'CREDENTIAL_NOT_RESTORED' },
        // a removal is sent whatever the user's consent
        { userId: 'leaving', status: 'errored', code: 'RETRY_WINDOW_OVER', action: 'remove' },
        { userId: 'consenting', status: 'errored', code: 'CREDENTIAL_NOT_RESTORED' },
        { userId: 'reconnected', status: 'errored', code: 'AD_ACCOUNT_REMOVED', adAccountId: removedConnection },
        { userId: 'elsewhere', status: 'errored', code: 'META_PERMISSION', metaAccountId: '999000999' },
        {
          userId: 'unresolved',
          status: 'errored',
          code: 'AUDIENCE_UNRESOLVED',
          metaAccountId: null,
          adAccountId: null,
          audienceId: null,
        },
      ]);
      await sql`INSERT INTO user_profiles (workspace_id, user_id, traits, first_seen_at, last_seen_at) VALUES
        (${h.workspaceId}, 'opted-out', '{"ads_opt_out": "true"}', now(), now()),
        (${h.workspaceId}, 'leaving', '{"doNotSell": true}', now(), now()),
        (${h.workspaceId}, 'consenting', '{"ads_opt_out": false}', now(), now())`.execute(h.database.db);
      expect((await h.call('POST', '/v1/users/erased/erasure')).statusCode).toBe(202);

      const answer = await redrive(target);
      expect(answer.statusCode).toBe(202);
      expect(answer.json<RedriveAnswer>()).toMatchObject({
        users: 3,
        skipped: { superseded: 1, erased: 1, optedOut: 1, noConnection: 1, final: 1, busy: 0 },
      });
      expect(await entry(target, 'opted-out')).toMatchObject({ action: 'add', status: 'errored' });
      expect(await entry(target, 'leaving')).toMatchObject({ action: 'remove', status: 'pending' });
      expect(await entry(target, 'consenting')).toMatchObject({ status: 'pending' });
      expect(await entry(target, 'reconnected')).toMatchObject({ status: 'pending', adAccountId: connectionId });
      expect((await entriesForUser(h.database.db, target.canvasId, 'fb', 'later')).map((e) => e.status)).toEqual([
        'synced',
        'errored',
      ]);
      const totals = await totalsOf(target);
      expect(totals.entered).toBe(totals.accounted);
      expect(totals).toMatchObject({ pending: 3, synced: 1 });
    },
  );

  it('skips an entry an erasure holds at that moment instead of waiting for it', async () => {
    const target = await launchedCanvas();
    await seed(target, [
      { userId: 'held-by-erasure', status: 'errored', code: 'RETRY_WINDOW_OVER' },
      { userId: 'free', status: 'errored', code: 'RETRY_WINDOW_OVER' },
    ]);
    let release = () => undefined as void;
    let locked = () => undefined as void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = h.database.db.transaction().execute(async (tx) => {
      await sql`SELECT 1 FROM audience_entries WHERE user_id = 'held-by-erasure' FOR UPDATE`.execute(tx);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isLocked;
    const answer = await redrive(target);
    release();
    await holding;
    expect(answer.json<RedriveAnswer>()).toMatchObject({ users: 1, skipped: { busy: 1 } });
    expect(await entry(target, 'held-by-erasure')).toMatchObject({ status: 'errored' });
  });

  it('refuses while the connection is disconnected, moving nothing and recording nothing', async () => {
    const target = await launchedCanvas();
    await seed(target, [{ userId: 'waits', status: 'errored', code: 'CREDENTIAL_NOT_RESTORED' }]);
    await setAdAccountStatus(h.database.db, connectionId, 'disconnected', 'token revoked', new Date());
    try {
      const refused = await redrive(target);
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      const problem = refused.json<{ code: string; detail: string }>();
      expect(problem.code).toBe('REDRIVE_ACCOUNT_UNUSABLE');
      expect(problem.detail).toContain(`act_${metaAccountId} is disconnected`);
      expect(problem.detail).toContain('/token');
      expect(await entry(target, 'waits')).toMatchObject({ status: 'errored' });
      expect(
        await h.database.db.selectFrom('redrives').select('id').where('canvas_id', '=', target.canvasId).execute(),
      ).toEqual([]);
    } finally {
      await setAdAccountStatus(h.database.db, connectionId, 'connected', null, new Date());
    }
    expect((await redrive(target)).json<RedriveAnswer>()).toMatchObject({ users: 1 });
  });

  it("answers 404 for a step that is no Facebook step, and for another workspace's canvas", async () => {
    const target = await launchedCanvas();
    for (const stepId of ['wait', 'nope'])
      expect((await redrive(target, { stepId })).json<{ code: string }>()).toMatchObject({ code: 'NOT_FOUND' });
    const other = await createWorkspaceWithKey(h.database.db, 'Other shop');
    const foreign = await redrive(target, { apiKey: other.apiKey });
    expect([foreign.statusCode, foreign.json<{ code: string }>().code]).toEqual([404, 'NOT_FOUND']);
    const listed = await h.app.inject({
      method: 'GET',
      url: `/v1/canvases/${target.canvasId}/steps/fb/redrives`,
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    expect(listed.statusCode).toBe(404);
  });

  it('accepts exactly the bodies and Idempotency-Keys it documents, and records only what it accepts', async () => {
    const target = await launchedCanvas();
    const noteOk = (note: unknown) =>
      note === undefined ||
      (typeof note === 'string' && note.length >= 1 && note.length <= 500 && unstorableKind(note) === undefined);
    const bodyOk = (body: unknown) =>
      body === undefined ||
      body === null ||
      (typeof body === 'object' &&
        body !== null &&
        !Array.isArray(body) &&
        Object.keys(body).every((k) => k === 'note') &&
        noteOk((body as { note?: unknown }).note));
    const note = fc.oneof(
      fc.string({ minLength: 1, maxLength: 500 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('', 'x'.repeat(501), '\u0000', '\ud800'),
      fc.constantFrom(null, 1, true, [], {}),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.record({ note }, { requiredKeys: [] }),
      fc.record({ note, extra: fc.jsonValue() }, { requiredKeys: ['extra'] }),
      fc.constantFrom(null, [], 'note', 7, { Note: 'x' }, { note: { nested: 'x' } }, {}),
    );
    const key = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('k-a', 'k-b'),
      fc.stringMatching(/^[\x21-\x7e]{1,200}$/),
      fc.constantFrom('a b', 'x'.repeat(201), 'é'),
    );
    const keyOk = (k: string | undefined) => k === undefined || /^[\x21-\x7e]{1,200}$/.test(k);
    const seenKeys = new Set<string>();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, key, async (b, k) => {
        // what the API receives: the body as JSON turns it
        const sent: unknown = b === undefined ? undefined : JSON.parse(JSON.stringify(b));
        const response = await redrive(target, {
          ...(sent === undefined ? {} : { body: sent }),
          ...(k === undefined ? {} : { key: k }),
        });
        const valid = bodyOk(sent) && keyOk(k);
        if (!valid) {
          expect(response.statusCode).toBe(400);
          expect(response.headers['content-type']).toContain('application/problem+json');
          expect(response.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
          return;
        }
        const repeat = k !== undefined && seenKeys.has(k);
        expect(response.statusCode).toBe(repeat ? 200 : 202);
        if (k !== undefined) seenKeys.add(k);
        if (!repeat) accepted += 1;
      }),
      {
        numRuns: Number(process.env.REDRIVE_BODY_RUNS ?? 150),
        seed: Number(process.env.REDRIVE_BODY_SEED ?? Date.now() % 1_000_000),
      },
    );
    const recorded = await h.database.db
      .selectFrom('redrives')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('canvas_id', '=', target.canvasId)
      .executeTakeFirstOrThrow();
    expect(Number(recorded.n)).toBe(accepted);
  });
});
