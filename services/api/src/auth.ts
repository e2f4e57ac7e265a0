import type { FastifyReply, FastifyRequest } from 'fastify';
import { findKeyOwner, type ApiKeyOwner, type Db } from '@canvas/db';
import { hashApiKey } from './api-key.js';
import { apiError } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workspace and key behind the request's API key. */
    caller: ApiKeyOwner;
  }
}

/** Resolves `Authorization: Bearer <api key>` to its workspace; every route below is scoped by it. */
export function authenticate(db: Db) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const owner = match?.[1] ? await findKeyOwner(db, hashApiKey(match[1])) : undefined;
    if (!owner) {
      throw apiError('UNAUTHORIZED', 'send a valid API key as "Authorization: Bearer <key>"', undefined, {
        'www-authenticate': 'Bearer',
      });
    }
    request.caller = owner;
  };
}
