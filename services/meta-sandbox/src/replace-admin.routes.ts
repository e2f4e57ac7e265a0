import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxState } from './state.js';

const stuckInput = z.object({ stuckSessions: z.number().int().min(0).max(1000) }).strict();
const advanceInput = z
  .object({
    ms: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success)
    throw Object.assign(
      new Error(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')),
      {
        statusCode: 400,
      },
    );
  return result.data;
}

/** Admin controls for replace sessions: a stuck-session fault, their state, and moving sandbox time on. */
export function registerReplaceAdminRoutes(app: FastifyInstance, state: SandboxState): void {
  // the next N replace sessions of the audience stay "uploading" after their last batch and never apply
  app.put<{ Params: { id: string } }>('/_sandbox/audiences/:id/replace-fault', async (request) => {
    const audience = state.audiences.get(request.params.id);
    if (!audience) throw Object.assign(new Error(`no audience ${request.params.id}`), { statusCode: 404 });
    const { stuckSessions } = parse(stuckInput, request.body);
    state.replaces.leaveStuck(audience.id, stuckSessions);
    return { id: audience.id, stuckSessions };
  });
  app.get<{ Params: { id: string } }>('/_sandbox/audiences/:id/sessions', async (request) => {
    const audience = state.audiences.get(request.params.id);
    if (!audience) throw Object.assign(new Error(`no audience ${request.params.id}`), { statusCode: 404 });
    state.replaces.refresh(audience);
    return { replaceInProgress: state.replaces.inProgress(audience.id), data: state.replaces.list(audience.id) };
  });
  app.post('/_sandbox/clock/advance', async (request) => {
    state.clock.advance(parse(advanceInput, request.body).ms);
    return { now: new Date(state.clock.now()).toISOString(), timeScale: state.clock.timeScale };
  });
}
