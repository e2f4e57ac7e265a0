import { describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { audienceStep, readMetric, triggeredCanvas, useEndToEnd, waitFor } from '@canvas/test-support';

interface Removal {
  adAccountId: string;
  audienceId: string;
  status: string;
  confirmedAt: string | null;
}
interface ErasureView {
  id: string;
  status: string;
  userHash: string;
  deletedRows: Record<string, number>;
  removals: Removal[];
}
interface FacebookNumbers {
  synced: number;
  notSynced: number;
  pending: number;
  errored: number;
  removals: { removed: number; synced: number; notSynced: number; pending: number; errored: number };
}
interface Analytics {
  steps: { stepId: string; entered: number; facebook: FacebookNumbers | null }[];
}

const shoppers = Array.from({ length: 120 }, (_, i) => `erasable-${String(i).padStart(3, '0')}`);
const phoneOf = (i: number) => `+1 (415) 555-${String(2000 + i)}`;

describe('erasing a user, end to end', () => {
  const e2e = useEndToEnd('e2e-erasure');

  /** Rows of any table, in any text, JSON or array column, that mention `needle`. */
  const mentions = async (needle: string) => {
    const columns = await sql<{ table_name: string; column_name: string }>`
      SELECT c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`.execute(e2e.database.db);
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns.rows) {
      const hits = await sql<{ n: string }>`
        SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)}::text LIKE ${`%${needle}%`}`.execute(
        e2e.database.db,
      );
      if (Number(hits.rows[0]!.n) > 0) found.push(`${table}.${column}`);
    }
    return found;
  };

  const sandbox = (method: string, path: string, body?: unknown) => e2e.sandbox(method, path, body);
  const audienceNamed = async (name: string) =>
    ((await sandbox('GET', '/_sandbox/audiences')) as { data: { id: string; name: string }[] }).data.find(
      (a) => a.name === name,
    )!;
  const membersOf = async (audienceId: string) =>
    (
      (await sandbox('GET', `/_sandbox/audiences/${audienceId}/members?limit=1000`)) as {
        members: { EXTERN_ID: string }[];
      }
    ).members.map((m) => m.EXTERN_ID);

  it(
    'removes a user from three audiences on two ad accounts, keeps nothing of ' +
      'theirs, and skips their later events',
    async () => {
      const { system, topic, producer } = e2e;
      const { call, message: send, connectAccount } = e2e.designer('Erasure shop');

      // two ad accounts, three audiences over two canvases
      const second = '8800000001';
      await sandbox('POST', '/_sandbox/ad-accounts', { id: second, name: 'Second account' });
      await sandbox('POST', '/_sandbox/tokens', { token: 'EAAB-second-account-token', adAccounts: [second] });
      expect(await connectAccount()).toBe(201);
      expect(await connectAccount(second, 'EAAB-second-account-token')).toBe(201);
      const fb = (id: string, name: string, next: string | null, adAccountId?: string) =>
        audienceStep(id, name, ['EXTERN_ID', 'EMAIL', 'PHONE'], next, adAccountId ? { adAccountId } : {});
      const signup = await call<{ id: string }>(
        'POST',
        '/v1/canvases',
        triggeredCanvas('New sign-ups', 'signed_up', [
          fb('fb1', 'Erasure_Signups', 'fb2'),
          fb('fb2', 'Erasure_Signups_Second', null, `act_${second}`),
        ]),
      );
      const buyers = await call<{ id: string }>(
        'POST',
        '/v1/canvases',
        triggeredCanvas('Buyers', 'purchased', [fb('fb', 'Erasure_Buyers', null)]),
      );
      for (const canvas of [signup, buyers]) {
        expect(canvas.status).toBe(201);
        expect((await call('POST', `/v1/canvases/${canvas.body.id}/launch`)).status).toBe(200);
      }

      await producer.send({
        topic,
        messages: shoppers.flatMap((u, i) => [
          send(u, {
            type: 'identify',
            messageId: `${u}-identify`,
            traits: { email: `${u}@shop.example`, phone: phoneOf(i), firstName: 'Robin', city: 'Lisbon' },
          }),
          send(u, { type: 'track', messageId: `${u}-signup`, event: 'signed_up' }),
          send(u, { type: 'track', messageId: `${u}-buy`, event: 'purchased', properties: { total: 19 } }),
        ]),
      });
      const analyticsOf = async (canvasId: string) =>
        (await call<Analytics>('GET', `/v1/canvases/${canvasId}/analytics`)).body;
      const facebookSteps = async () => [
        ...(await analyticsOf(signup.body.id)).steps,
        ...(await analyticsOf(buyers.body.id)).steps,
      ];
      await waitFor(
        async () =>
          (await facebookSteps()).every((s) => s.facebook?.synced === shoppers.length && s.facebook.pending === 0),
        { what: 'everyone in three audiences', timeoutMs: 90_000, intervalMs: 500 },
      );
      const audiences = (await sandbox('GET', '/_sandbox/audiences')) as { data: { id: string; name: string }[] };
      const ours = audiences.data.filter((a) => a.name.startsWith('Erasure_'));
      expect(ours).toHaveLength(3);
      for (const audience of ours) expect(await membersOf(audience.id)).toContain(shoppers[0]);
      // the scan sees the user before: its silence afterwards means something
      const erased = shoppers[0]!;
      expect(await mentions(erased)).toEqual(expect.arrayContaining(['user_profiles.user_id', 'user_events.user_id']));
      expect(await mentions('555-2000')).toEqual(['user_profiles.traits']);

      // Meta throttles removals for a while; the erasure waits it out
      await sandbox('POST', '/_sandbox/faults', {
        kind: 'error',
        code: 80003,
        subcode: 2446079,
        count: 4,
        regainMinutes: 0.02,
        match: { method: 'DELETE' },
      });
      const started = await call<ErasureView>('POST', `/v1/users/${erased}/erasure`);
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({
        status: 'removing',
        deletedRows: expect.objectContaining({ user_profiles: 1 }),
      });
      expect(started.body.removals).toHaveLength(3);
      const again = await call<ErasureView>('POST', `/v1/users/${erased}/erasure`);
      expect(again).toMatchObject({ status: 200, body: { id: started.body.id } });
      const bulk = await call<{ data: ErasureView[] }>('POST', '/v1/erasures', { userIds: [shoppers[1], shoppers[2]] });
      expect(bulk.status).toBe(202);
      expect(bulk.body.data).toHaveLength(2);

      const completed = (await waitFor(
        async () => {
          const views = await Promise.all(
            [started.body, ...bulk.body.data].map(
              async (e) => (await call<ErasureView>('GET', `/v1/erasures/${e.id}`)).body,
            ),
          );
          return views.every((v) => v.status === 'completed') ? views : undefined;
        },
        { what: 'the erasures completed', timeoutMs: 120_000, intervalMs: 500 },
      )) as ErasureView[];
      const throttled = ((await sandbox('GET', '/_sandbox/faults')) as { data: unknown[] }).data;
      expect(throttled).toEqual([]);
      for (const view of completed) {
        expect(view.removals.map((r) => [r.adAccountId, r.status]).sort()).toEqual(
          [
            [`act_${second}`, 'confirmed'],
            [`act_${system.adAccountId}`, 'confirmed'],
            [`act_${system.adAccountId}`, 'confirmed'],
          ].sort(),
        );
        for (const removal of view.removals) expect(Date.parse(removal.confirmedAt!)).toBeGreaterThan(0);
      }

      // Meta no longer has them; nothing here holds their id or their raw traits
      for (const audience of ours) {
        const members = await membersOf(audience.id);
        expect(members).toHaveLength(shoppers.length - 3);
        expect(members).not.toEqual(expect.arrayContaining([shoppers[0]]));
      }
      for (const i of [0, 1, 2]) {
        expect(await mentions(shoppers[i]!)).toEqual([]);
        expect(await mentions(`${shoppers[i]}@shop`)).toEqual([]);
        expect(await mentions(`555-${2000 + i}`)).toEqual([]);
      }

      // the counters still reconcile: the removals are counted apart from the adds
      for (const step of await facebookSteps()) {
        expect(step.facebook).toMatchObject({
          synced: shoppers.length,
          pending: 0,
          errored: 0,
          removals: { removed: 3, synced: 3, notSynced: 0, pending: 0, errored: 0 },
        });
        expect(step.entered).toBe(step.facebook!.synced + step.facebook!.notSynced);
      }

      // events of an erased user that arrive later are skipped, not applied
      const suppressedBefore = await readMetric(system.runner.opsUrl, 'canvas_runner_events_total', {
        outcome: 'suppressed',
      });
      await producer.send({
        topic,
        messages: [
          send(erased, { type: 'identify', messageId: `${erased}-late`, traits: { email: `${erased}@shop.example` } }),
        ],
      });
      await waitFor(
        async () =>
          (await readMetric(system.runner.opsUrl, 'canvas_runner_events_total', { outcome: 'suppressed' })) ===
          suppressedBefore + 1,
        { what: 'the late event skipped' },
      );
      expect(await mentions(erased)).toEqual([]);
    },
  );

  it('never sends a user who opted out of ads, and removes one who opts out later', async () => {
    const { topic, producer } = e2e;
    const { call, message: send, connectAccount } = e2e.designer('Consent shop');
    expect(await connectAccount()).toBe(201);
    const canvas = await call<{ id: string }>(
      'POST',
      '/v1/canvases',
      triggeredCanvas('Consenting sign-ups', 'signed_up', [
        audienceStep('fb', 'Consent_Signups', ['EXTERN_ID', 'EMAIL']),
      ]),
    );
    expect((await call('POST', `/v1/canvases/${canvas.body.id}/launch`)).status).toBe(200);
    const users = Array.from({ length: 110 }, (_, i) => `consenting-${i}`);
    const identify = (u: string, traits: Record<string, unknown>, id = 'identify') =>
      send(u, { type: 'identify', messageId: `${u}-${id}`, traits: { email: `${u}@shop.example`, ...traits } });
    const signup = (u: string, extra: Record<string, unknown> = {}) =>
      send(u, { type: 'track', messageId: `${u}-signup`, event: 'signed_up', ...extra });
    await producer.send({
      topic,
      messages: [
        ...users.flatMap((u) => [identify(u, {}), signup(u)]),
        identify('refuses-by-trait', { ads_opt_out: true }),
        signup('refuses-by-trait'),
        identify('refuses-by-consent', {}),
        signup('refuses-by-consent', { context: { consent: { categoryPreferences: { Advertising: false } } } }),
      ],
    });
    const facebook = async () =>
      (await call<Analytics>('GET', `/v1/canvases/${canvas.body.id}/analytics`)).body.steps[0]!.facebook!;
    await waitFor(async () => (await facebook()).synced === 110 && (await facebook()).notSynced === 2, {
      what: 'everyone handled',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const audience = await audienceNamed('Consent_Signups');
    const members = await membersOf(audience.id);
    expect(members).toHaveLength(110);
    expect(members).not.toEqual(expect.arrayContaining(['refuses-by-trait']));
    expect(members).not.toEqual(expect.arrayContaining(['refuses-by-consent']));
    for (const u of ['refuses-by-trait', 'refuses-by-consent']) {
      const answer = await call<{
        entries: { status: string; lastError: { code: string } | null; sentAt: string | null }[];
      }>('GET', `/v1/canvases/${canvas.body.id}/steps/fb/users/${u}`);
      expect(answer.body.entries).toEqual([
        expect.objectContaining({
          status: 'not_synced',
          lastError: expect.objectContaining({ code: 'CONSENT' }),
          sentAt: null,
        }),
      ]);
    }

    // an opt-out after the sync: the user leaves the audience, through the same removal path as an erasure
    const late = users[7]!;
    await producer.send({ topic, messages: [identify(late, { do_not_sell: true }, 'opt-out')] });
    await waitFor(async () => (await facebook()).removals.synced === 1, {
      what: 'the removal synced',
      timeoutMs: 60_000,
    });
    expect(await membersOf(audience.id)).toHaveLength(109);
    expect(await membersOf(audience.id)).not.toEqual(expect.arrayContaining([late]));
    expect(await facebook()).toMatchObject({
      synced: 110,
      notSynced: 2,
      pending: 0,
      errored: 0,
      removals: { removed: 1, synced: 1, notSynced: 0, pending: 0, errored: 0 },
    });
  });
});
