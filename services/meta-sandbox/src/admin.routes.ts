import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FaultSpec } from './fault-injector.js';
import type { SandboxState } from './state.js';
import { bareAdAccountId } from '@canvas/meta-graph';

const accountInput = z
  .object({
    id: z
      .string()
      .regex(/^(act_)?\d+$/)
      .optional(),
    name: z.string().min(1).optional(),
    tosAccepted: z.boolean().optional(),
  })
  .strict();
const accountPatch = z.object({ name: z.string().min(1).optional(), tosAccepted: z.boolean().optional() }).strict();
const tokenInput = z
  .object({
    token: z.string().min(8).optional(),
    status: z.enum(['valid', 'expired', 'revoked']).optional(),
    adAccounts: z.union([z.literal('*'), z.array(z.string())]).optional(),
    scopes: z.array(z.string()).optional(),
    type: z.enum(['USER', 'SYSTEM_USER']).optional(),
    /** Unix seconds on the sandbox clock after which the token is expired; 0 never. */
    expiresAt: z.number().int().min(0).optional(),
  })
  .strict();
const tokenPatch = z
  .object({ status: z.enum(['valid', 'expired', 'revoked']).optional(), expiresAt: z.number().int().min(0).optional() })
  .strict();
const faultInput = z
  .object({
    kind: z.enum(['error', 'http_status', 'latency', 'drop', 'html']),
    count: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    code: z.number().int().optional(),
    subcode: z.number().int().optional(),
    message: z.string().optional(),
    isTransient: z.boolean().optional(),
    status: z.number().int().min(100).max(599).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    regainMinutes: z.number().min(0).optional(),
    match: z.object({ method: z.string().optional(), pathContains: z.string().optional() }).strict().optional(),
  })
  .strict();
const refusedInput = z.object({ values: z.array(z.string().min(1)).max(100_000) }).strict();
const healthInput = z.object({ flagged: z.boolean().optional(), sacEligible: z.boolean().optional() }).strict();
const clockInput = z.object({ timeScale: z.number().positive().max(1_000_000) }).strict();
const settingsInput = z
  .object({
    minVersion: z
      .string()
      .regex(/^v\d+\.\d+$/)
      .optional(),
    minRemovalSize: z.number().int().min(0).optional(),
    minDeliverySize: z.number().int().min(0).optional(),
    quotaBase: z.number().int().positive().optional(),
    quotaPerAudience: z.number().int().min(0).optional(),
    quotaCap: z.number().int().positive().optional(),
    maxAudiencesPerAccount: z.number().int().positive().optional(),
    maxLookalikesPerAccount: z.number().int().positive().optional(),
    minLookalikeSourceSize: z.number().int().min(0).optional(),
    lookalikePopulateMs: z.number().int().min(0).optional(),
    adsManagementQuota: z.number().int().positive().optional(),
    replaceProcessingMs: z.number().int().min(0).optional(),
    maxReplaceMembers: z.number().int().positive().optional(),
  })
  .strict();

/** The sandbox's own control surface under /_sandbox; only registered when enabled. */
export function registerAdminRoutes(app: FastifyInstance, state: SandboxState): void {
  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const result = schema.safeParse(body ?? {});
    if (!result.success) {
      throw Object.assign(
        new Error(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')),
        { statusCode: 400 },
      );
    }
    return result.data;
  };
  const audienceOr404 = (id: string) => {
    const audience = state.audiences.get(id);
    if (!audience) throw Object.assign(new Error(`no audience ${id}`), { statusCode: 404 });
    return audience;
  };

  app.post('/_sandbox/reset', async () => {
    state.reset();
    return { ok: true };
  });

  app.post('/_sandbox/ad-accounts', async (request, reply) =>
    reply.code(201).send(state.createAccount(parse(accountInput, request.body))),
  );
  app.get('/_sandbox/ad-accounts', async () => ({ data: [...state.accounts.values()] }));
  app.patch<{ Params: { id: string } }>('/_sandbox/ad-accounts/:id', async (request) => {
    const account = state.accounts.get(bareAdAccountId(request.params.id));
    if (!account) throw Object.assign(new Error('no such ad account'), { statusCode: 404 });
    Object.assign(
      account,
      Object.fromEntries(Object.entries(parse(accountPatch, request.body)).filter(([, v]) => v !== undefined)),
    );
    return account;
  });
  app.get<{ Params: { id: string } }>('/_sandbox/ad-accounts/:id/usage', async (request) => {
    const id = bareAdAccountId(request.params.id);
    return {
      ...state.quota.snapshot(id, state.quotaFor(id)),
      audiences: state.activeAudienceCount(id),
      timeScale: state.clock.timeScale,
    };
  });

  app.post('/_sandbox/tokens', async (request, reply) =>
    reply.code(201).send(state.createToken(parse(tokenInput, request.body))),
  );
  app.patch<{ Params: { token: string } }>('/_sandbox/tokens/:token', async (request) => {
    const token = state.tokens.get(request.params.token);
    if (!token) throw Object.assign(new Error('no such token'), { statusCode: 404 });
    const patch = parse(tokenPatch, request.body);
    if (patch.status !== undefined) token.status = patch.status;
    if (patch.expiresAt !== undefined) token.expiresAt = patch.expiresAt;
    return { token: token.token, status: state.statusOf(token), expiresAt: token.expiresAt };
  });

  app.post('/_sandbox/faults', async (request, reply) =>
    reply.code(201).send(state.faults.add(parse<FaultSpec>(faultInput, request.body))),
  );
  app.get('/_sandbox/faults', async () => ({ data: state.faults.list() }));
  app.delete('/_sandbox/faults', async () => {
    state.faults.clear();
    return { ok: true };
  });

  // match values (hashed as sent) whose rows uploads report as invalid entries
  app.post('/_sandbox/refused-values', async (request, reply) => {
    for (const value of parse(refusedInput, request.body).values) state.refusedValues.add(value);
    return reply.code(201).send({ refused: state.refusedValues.size });
  });
  app.delete('/_sandbox/refused-values', async () => {
    state.refusedValues.clear();
    return { refused: 0 };
  });
  app.get('/_sandbox/clock', async () => ({
    now: new Date(state.clock.now()).toISOString(),
    timeScale: state.clock.timeScale,
  }));
  app.put('/_sandbox/clock', async (request) => {
    state.clock.setTimeScale(parse(clockInput, request.body).timeScale);
    return { now: new Date(state.clock.now()).toISOString(), timeScale: state.clock.timeScale };
  });
  app.get('/_sandbox/config', async () => state.settings);
  app.put('/_sandbox/config', async (request) => {
    const changes = Object.fromEntries(
      Object.entries(parse(settingsInput, request.body)).filter(([, v]) => v !== undefined),
    );
    state.settings = { ...state.settings, ...changes };
    return state.settings;
  });

  app.get<{ Querystring: { accountId?: string } }>('/_sandbox/audiences', async (request) => ({
    data: [...state.audiences.values()]
      .filter((a) => !request.query.accountId || a.accountId === bareAdAccountId(request.query.accountId))
      .map((a) => ({
        id: a.id,
        accountId: a.accountId,
        name: a.name,
        memberCount: a.members.size,
        deleted: a.deleted,
        subtype: a.subtype,
        isValueBased: a.isValueBased ?? false,
        lookalike: a.lookalike ?? null,
      })),
  }));
  app.get<{ Params: { id: string } }>('/_sandbox/audiences/:id', async (request) => {
    const a = audienceOr404(request.params.id);
    return {
      id: a.id,
      accountId: a.accountId,
      name: a.name,
      description: a.description,
      memberCount: a.members.size,
      deleted: a.deleted,
      subtype: a.subtype,
      isValueBased: a.isValueBased ?? false,
      lookalike: a.lookalike ?? null,
      createdAt: new Date(a.createdAt).toISOString(),
      updatedAt: new Date(a.updatedAt).toISOString(),
    };
  });
  // flags an audience as Meta does (operation_status 471) or marks it not eligible for SAC campaigns
  app.put<{ Params: { id: string } }>('/_sandbox/audiences/:id/health', async (request) => {
    const a = audienceOr404(request.params.id);
    const input = parse(healthInput, request.body);
    if (input.flagged !== undefined) a.flagged = input.flagged;
    if (input.sacEligible !== undefined) a.sacEligible = input.sacEligible;
    return { id: a.id, flagged: a.flagged ?? false, sacEligible: a.sacEligible ?? true };
  });
  app.get<{ Params: { id: string }; Querystring: { limit?: string; offset?: string } }>(
    '/_sandbox/audiences/:id/members',
    async (request) => {
      const a = audienceOr404(request.params.id);
      // a replace session that closed meanwhile has changed the members
      state.replaces.refresh(a);
      const limit = Math.min(100_000, Math.max(1, Number(request.query.limit ?? 1000) || 1000));
      const offset = Math.max(0, Number(request.query.offset ?? 0) || 0);
      return { total: a.members.size, members: [...a.members.values()].slice(offset, offset + limit) };
    },
  );
  app.get<{ Querystring: { accountId?: string; audienceId?: string; since?: string } }>(
    '/_sandbox/requests',
    async (request) => {
      const since = request.query.since ? Date.parse(request.query.since) : 0;
      const accountId = request.query.accountId === undefined ? undefined : bareAdAccountId(request.query.accountId);
      return {
        data: state.requests
          .filter(
            (r) =>
              r.at >= since &&
              (!accountId || r.accountId === accountId) &&
              (!request.query.audienceId || r.audienceId === request.query.audienceId),
          )
          .map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      };
    },
  );
}
