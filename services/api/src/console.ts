import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { consoleAssetsDir } from '@canvas/console';

/** No inline script or style anywhere: the console's page, script and stylesheet are files of their own. */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Serves the built console at /console/, same origin as the API it calls. */
export async function registerConsole(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('content-security-policy', consoleContentSecurityPolicy);
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('referrer-policy', 'no-referrer');
      return payload;
    });
    await scope.register(fastifyStatic, { root: consoleAssetsDir, prefix: '/console/', index: 'index.html' });
    scope.get('/console', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/', 301));
  });
}
