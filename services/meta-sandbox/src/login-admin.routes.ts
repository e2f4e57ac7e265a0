import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { adSetView } from './ad-set-store.js';
import type { SandboxState } from './state.js';
import { bareAdAccountId } from '@canvas/meta-graph';

const loginPersonInput = z
  .object({
    name: z.string().min(1).optional(),
    adAccounts: z.union([z.literal('*'), z.array(z.string().regex(/^(act_)?\d+$/))]).optional(),
    declines: z.boolean().optional(),
  })
  .strict();
const adSetInput = z
  .object({
    accountId: z.string().regex(/^(act_)?\d+$/),
    name: z.string().min(1).optional(),
    targeting: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
const editInput = z
  .object({ targeting: z.record(z.string(), z.unknown()), afterReads: z.number().int().min(1).max(100).default(1) })
  .strict();

const badRequest = (error: z.ZodError) =>
  Object.assign(new Error(error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')), {
    statusCode: 400,
  });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw badRequest(result.error);
  return result.data;
}

/** Admin controls for Facebook Login (the app, who is signed in) and for ad sets. */
export function registerLoginAdminRoutes(app: FastifyInstance, state: SandboxState): void {
  app.get('/_sandbox/app', async () => state.app);
  app.put('/_sandbox/login-person', async (request) => {
    const input = parse(loginPersonInput, request.body);
    state.loginPerson = {
      name: input.name ?? state.loginPerson.name,
      adAccounts:
        input.adAccounts === undefined
          ? state.loginPerson.adAccounts
          : input.adAccounts === '*'
            ? '*'
            : input.adAccounts.map(bareAdAccountId),
      declines: input.declines ?? false,
    };
    return state.loginPerson;
  });

  app.post('/_sandbox/ad-sets', async (request, reply) => {
    const input = parse(adSetInput, request.body);
    return reply.code(201).send(adSetView(state.createAdSet(input)));
  });
  app.get<{ Params: { id: string } }>('/_sandbox/ad-sets/:id', async (request) => {
    const adSet = state.adSets.get(request.params.id);
    if (!adSet) throw Object.assign(new Error('no such ad set'), { statusCode: 404 });
    return adSetView(adSet);
  });
  // another tool edits the targeting after a number of reads: a caller's conflict check must notice
  app.post<{ Params: { id: string } }>('/_sandbox/ad-sets/:id/pending-edit', async (request) => {
    const adSet = state.adSets.get(request.params.id);
    if (!adSet) throw Object.assign(new Error('no such ad set'), { statusCode: 404 });
    adSet.pendingEdit = parse(editInput, request.body);
    return { pending: adSet.pendingEdit };
  });
}
