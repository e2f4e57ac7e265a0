import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './admin.routes.js';
import { registerGraphRoutes } from './graph.routes.js';
import { registerLoginAdminRoutes } from './login-admin.routes.js';
import { registerReplaceAdminRoutes } from './replace-admin.routes.js';
import type { SandboxSettings } from './sandbox-config.js';
import { SandboxState } from './state.js';

export interface SandboxOptions {
  admin?: boolean;
  settings?: Partial<SandboxSettings>;
  timeScale?: number;
  seed?: number;
  /** The real time the sandbox clock scales (default `Date.now`); a test moves it on instead of waiting. */
  realNow?: () => number;
}

/** Builds the emulator without listening; tests call `app.listen` or `app.inject`. */
export function buildSandbox(options: SandboxOptions = {}): { app: FastifyInstance; state: SandboxState } {
  const state = new SandboxState({
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.realNow ? { realNow: options.realNow } : {}),
  });
  const app = Fastify({
    bodyLimit: 64 * 1024 * 1024,
    logger: false,
  });
  void app.register(formbody);
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    // malformed bodies get Meta's envelope, as Graph would answer them
    void reply.code(status).send({
      error: {
        message: error.message,
        type: 'OAuthException',
        code: status === 400 ? 100 : 1,
        fbtrace_id: 'Asandbox',
      },
    });
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  if (options.admin) {
    registerAdminRoutes(app, state);
    registerLoginAdminRoutes(app, state);
    registerReplaceAdminRoutes(app, state);
  }
  registerGraphRoutes(app, state);
  return { app, state };
}

export interface RunningSandbox {
  url: string;
  state: SandboxState;
  app: FastifyInstance;
  close: () => Promise<void>;
}

/** Builds and listens; port 0 picks a free port. */
export async function startSandbox(
  options: SandboxOptions & { host?: string; port?: number } = {},
): Promise<RunningSandbox> {
  const { app, state } = buildSandbox(options);
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { url: address, state, app, close: () => app.close() };
}
