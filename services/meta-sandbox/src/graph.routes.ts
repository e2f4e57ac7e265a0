import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addMembers, checkRows, removeMembers, type SandboxAudience } from './audience-store.js';
import { errors, graphError, type GraphFailure } from './graph-errors.js';
import type { SandboxState, SandboxToken } from './state.js';
import { isFailure, parseUsersRequest } from './users-request.js';
import { adSetRoutes, listAdSets } from './ad-set.routes.js';
import { versionRefusal } from './version-gate.js';
import { adsManagementMetered } from './ads-management-quota.js';
import { exchangeToken, reachableAccounts, registerLoginDialog } from './login.routes.js';
import { createLookalike, hasLookalikes, lookalikeFields } from './lookalike-audiences.js';
import { valueBasedColumns, valueBasedRefusal } from './value-based.js';
import { replaceRoutes, type ReplaceLog } from './replace.routes.js';
import { replaceErrors } from './replace-errors.js';

type Params = Record<string, unknown>;
type Answer = GraphFailure | { status: 200; body: unknown; headers?: Record<string, string> };

const throttleCodes = new Set([4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);

function tokenOf(request: FastifyRequest, params: Params): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return typeof params.access_token === 'string' ? params.access_token : undefined;
}

function fieldsOf(params: Params): Set<string> {
  return new Set(typeof params.fields === 'string' ? params.fields.split(',').map((f) => f.trim()) : []);
}

function pick(source: Record<string, unknown>, fields: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).filter(([key]) => key === 'id' || fields.has(key)));
}

/** The Graph API endpoints for customer-file custom audiences, with Meta's validation and errors. */
export function registerGraphRoutes(app: FastifyInstance, state: SandboxState): void {
  const authenticate = (request: FastifyRequest, params: Params): SandboxToken | GraphFailure => {
    const value = tokenOf(request, params);
    if (!value) return errors.tokenMissing();
    const token = state.tokens.get(value);
    if (!token) return errors.tokenUnknown();
    const status = state.statusOf(token);
    if (status === 'expired')
      return errors.tokenExpired(
        new Date(token.expiresAt > 0 ? token.expiresAt * 1000 : state.clock.now() - 3_600_000),
      );
    if (status === 'revoked') return errors.tokenRevoked();
    return token;
  };

  /** Runs a custom_audience call against the account's quota and adds the usage headers. */
  const metered = (accountId: string, work: () => Answer): Answer => {
    const quota = state.quotaFor(accountId);
    if (!state.quota.tryConsume(accountId, quota)) {
      return { ...errors.quotaExhausted(), headers: state.quota.headers(accountId, quota, true) };
    }
    const answer = work();
    return {
      ...answer,
      headers: { ...answer.headers, ...state.quota.headers(accountId, state.quotaFor(accountId), false) },
    };
  };

  const audienceView = (audience: SandboxAudience, fields: Set<string>) => {
    const count = audience.members.size;
    return pick(
      {
        id: audience.id,
        account_id: audience.accountId,
        name: audience.name,
        description: audience.description,
        subtype: audience.subtype,
        customer_file_source: audience.customerFileSource,
        retention_days: audience.retentionDays ?? 0,
        approximate_count_lower_bound: count,
        approximate_count_upper_bound: count,
        delivery_status:
          count < state.settings.minDeliverySize
            ? { code: 300, description: 'This audience is too small to use.' }
            : { code: 200, description: 'This audience is ready for use.' },
        operation_status: audience.flagged
          ? { code: 471, description: 'This audience has been flagged and cannot be used in new campaigns.' }
          : state.replaces.inProgress(audience.id)
            ? { code: 414, description: 'Replace in progress' }
            : { code: 200, description: 'Normal' },
        is_eligible_for_sac_campaigns: audience.sacEligible ?? true,
        is_value_based: audience.isValueBased ?? false,
        ...lookalikeFields(state, audience),
        time_created: Math.floor(audience.createdAt / 1000),
        time_updated: Math.floor(audience.updatedAt / 1000),
      },
      fields,
    );
  };

  const accountRoutes = (
    method: string,
    accountId: string,
    edge: string | undefined,
    params: Params,
    token: SandboxToken,
  ): Answer => {
    const account = state.accounts.get(accountId);
    if (!account || !state.canUse(token, accountId)) return errors.objectMissing(`act_${accountId}`, method);
    if (edge === undefined && method === 'GET') {
      const fields = fieldsOf(params);
      return {
        status: 200,
        body: pick(
          {
            id: `act_${account.id}`,
            account_id: account.id,
            name: account.name,
            account_status: 1,
            tos_accepted: account.tosAccepted ? { custom_audience_tos: 1 } : {},
          },
          fields,
        ),
      };
    }
    if (edge === 'adsets' && method === 'GET')
      return adsManagementMetered(state, accountId, () => listAdSets(state, accountId, params));
    if (edge !== 'customaudiences') return errors.unknownPath();
    return metered(accountId, () => {
      if (method === 'GET') {
        const fields = fieldsOf(params);
        const all = [...state.audiences.values()].filter((a) => a.accountId === accountId && !a.deleted);
        const limit = Math.min(500, Math.max(1, Number(params.limit ?? 25) || 25));
        const start =
          typeof params.after === 'string' ? Number(Buffer.from(params.after, 'base64url').toString()) || 0 : 0;
        const page = all.slice(start, start + limit);
        const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
        return {
          status: 200,
          body: {
            data: page.map((a) => audienceView(a, fields)),
            paging: {
              cursors: {
                before: Buffer.from(String(start)).toString('base64url'),
                after: next ?? Buffer.from(String(start + page.length)).toString('base64url'),
              },
              ...(next ? { next: `/act_${accountId}/customaudiences?after=${next}&limit=${limit}` } : {}),
            },
          },
        };
      }
      if (method !== 'POST') return errors.unknownPath();
      if (!account.tosAccepted) return errors.tosNotAccepted();
      if (typeof params.name !== 'string' || params.name.trim() === '')
        return errors.invalidParameter('The parameter name is required');
      if (params.subtype === 'LOOKALIKE') return createLookalike(state, accountId, params);
      if (params.subtype !== undefined && params.subtype !== 'CUSTOM')
        return errors.invalidParameter('Only subtypes CUSTOM and LOOKALIKE are supported by this sandbox');
      const customerFile = [...state.audiences.values()].filter(
        (a) => a.accountId === accountId && !a.deleted && a.subtype === 'CUSTOM',
      ).length;
      if (customerFile >= state.settings.maxAudiencesPerAccount) return errors.audienceLimit();
      const { id } = state.addAudience({
        accountId,
        name: params.name,
        description: typeof params.description === 'string' ? params.description : '',
        customerFileSource:
          typeof params.customer_file_source === 'string' ? params.customer_file_source : 'USER_PROVIDED_ONLY',
        retentionDays: params.retention_days === undefined ? null : Number(params.retention_days),
        ...([true, 1, '1', 'true'].includes(params.is_value_based as string) ? { isValueBased: true } : {}),
      });
      return { status: 200, body: { id } };
    });
  };

  const audienceRoutes = (
    method: string,
    audienceId: string,
    edge: string | undefined,
    params: Params,
    token: SandboxToken,
    request: FastifyRequest,
  ): Answer => {
    const audience = state.audiences.get(audienceId);
    if (!audience || audience.deleted || !state.canUse(token, audience.accountId))
      return errors.objectMissing(audienceId, method);
    const account = state.accounts.get(audience.accountId);
    return metered(audience.accountId, () => {
      state.replaces.refresh(audience);
      if (edge === 'usersreplace' || edge === 'sessions')
        return replaceRoutes(state, method, edge, audience, account, params, (entry) => {
          (request as FastifyRequest & { sandboxLog?: object }).sandboxLog = entry;
        });
      if (edge === undefined) {
        if (method === 'GET') return { status: 200, body: audienceView(audience, fieldsOf(params)) };
        if (method === 'DELETE') {
          if (hasLookalikes(state, audience)) return errors.audienceHasLookalikes();
          audience.deleted = true;
          return { status: 200, body: { success: true } };
        }
        if (method === 'POST') {
          if (!account?.tosAccepted) return errors.tosNotAccepted();
          if (typeof params.name === 'string') audience.name = params.name;
          if (typeof params.description === 'string') audience.description = params.description;
          audience.updatedAt = state.clock.now();
          return { status: 200, body: { success: true } };
        }
        return errors.unknownPath();
      }
      if (edge !== 'users' || (method !== 'POST' && method !== 'DELETE')) return errors.unknownPath();
      if (!account?.tosAccepted) return errors.tosNotAccepted();
      if (audience.flagged) return errors.audienceFlagged();
      // Meta refuses membership edits while a replace runs
      if (state.replaces.inProgress(audience.id)) return replaceErrors.updateInProgress();
      const parsed = parseUsersRequest(params, state.settings.maxRowsPerRequest);
      const action = method === 'DELETE' ? 'remove' : 'add';
      if (isFailure(parsed)) return parsed;
      const refusal = valueBasedRefusal(audience, parsed.schema);
      if (refusal) return refusal;
      if (action === 'remove' && audience.members.size < state.settings.minRemovalSize)
        return errors.audienceTooSmall();
      const stored = valueBasedColumns(audience, parsed);
      const checked = checkRows(stored.schema, stored.data, state.refusedValues);
      if (action === 'add') addMembers(audience, checked.valid);
      else removeMembers(audience, checked.valid);
      audience.updatedAt = state.clock.now();
      const sessionId = parsed.sessionId ?? String(Math.floor(Math.random() * 1e15));
      const sessionKey = `${audienceId}:${sessionId}`;
      const received = (audience.sessions.get(sessionKey) ?? 0) + parsed.data.length;
      audience.sessions.set(sessionKey, received);
      (request as FastifyRequest & { sandboxLog?: object }).sandboxLog = {
        action,
        rows: parsed.data.length,
        schema: parsed.schema,
        numInvalid: checked.invalid,
      };
      return {
        status: 200,
        body: {
          audience_id: audienceId,
          session_id: sessionId,
          num_received: received,
          num_invalid_entries: checked.invalid,
          invalid_entry_samples: checked.samples,
        },
      };
    });
  };

  const debugToken = (params: Params, request: FastifyRequest): Answer => {
    const caller = tokenOf(request, params);
    if (!caller) return errors.tokenMissing();
    const isAppToken = caller.includes('|');
    if (!isAppToken) {
      const auth = authenticate(request, params);
      if (isFailure(auth)) return auth;
    }
    const input = typeof params.input_token === 'string' ? params.input_token : undefined;
    if (!input) return errors.invalidParameter('The parameter input_token is required');
    const token = state.tokens.get(input);
    if (!token) return graphError(190, 'Invalid OAuth access token - Cannot parse access token');
    const now = Math.floor(state.clock.now() / 1000);
    const status = state.statusOf(token);
    return {
      status: 200,
      body: {
        data: {
          app_id: '1000000000000001',
          type: token.type,
          application: 'Canvas sandbox app',
          data_access_expires_at: now + 90 * 86_400,
          expires_at: token.expiresAt > 0 ? token.expiresAt : status === 'expired' ? now - 3600 : 0,
          is_valid: status === 'valid',
          issued_at: now - 86_400,
          scopes: token.scopes,
          granular_scopes: token.scopes.map((scope) => ({ scope })),
          user_id: token.userId,
          ...(status === 'valid'
            ? {}
            : {
                error: {
                  code: 190,
                  message: status === 'expired' ? 'Session has expired' : 'The user has not authorized application',
                },
              }),
        },
      },
    };
  };

  const handle = async (
    request: FastifyRequest<{ Params: { version: string; node: string; edge?: string } }>,
    reply: FastifyReply,
  ) => {
    const { version, node, edge } = request.params;
    const params: Params = { ...(request.query as Params), ...((request.body as Params | undefined) ?? {}) };
    const method =
      request.method === 'POST' && typeof params.method === 'string' ? params.method.toUpperCase() : request.method;
    const accountId = node.startsWith('act_') ? node.slice(4) : state.audiences.get(node)?.accountId;

    const { latencyMs, failure } = state.faults.take(method, request.url);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    let answer: Answer;
    if (failure?.kind === 'drop') {
      state.log({ method, path: request.url, accountId, audienceId: accountId === node ? undefined : node, status: 0 });
      request.raw.socket.destroy();
      return reply.hijack();
    }
    if (failure?.kind === 'html') {
      state.log({ method, path: request.url, accountId, status: failure.status ?? 502 });
      return reply
        .code(failure.status ?? 502)
        .type('text/html')
        .send(
          "<!DOCTYPE html><html><body><h1>Sorry, something went wrong.</h1><p>We're working on it.</p></body></html>",
        );
    }
    if (failure?.kind === 'http_status') {
      answer = graphError(failure.code ?? 2, failure.message ?? 'Service temporarily unavailable', {
        status: failure.status ?? 503,
        isTransient: true,
        type: 'OAuthException',
      });
    } else if (failure?.kind === 'error') {
      answer = graphError(failure.code ?? 1, failure.message ?? `(#${failure.code ?? 1}) Injected error`, {
        ...(failure.subcode === undefined ? {} : { subcode: failure.subcode }),
        ...(failure.isTransient === undefined ? {} : { isTransient: failure.isTransient }),
        status: failure.status ?? 400,
      });
      if (throttleCodes.has(failure.code ?? 0) && accountId) {
        answer.headers = {
          'x-business-use-case-usage': JSON.stringify({
            [accountId]: [
              {
                type: 'custom_audience',
                call_count: 100,
                total_cputime: 0,
                total_time: 0,
                estimated_time_to_regain_access: failure.regainMinutes ?? 0,
              },
            ],
          }),
        };
      }
    } else {
      const refusal = versionRefusal(version, state.settings.minVersion, new Date(state.clock.now()));
      if (refusal) answer = refusal;
      else if (node === 'debug_token' && !edge && method === 'GET') answer = debugToken(params, request);
      else if (node === 'oauth' && edge === 'access_token' && method === 'GET') answer = exchangeToken(state, params);
      else {
        const auth = authenticate(request, params);
        if (isFailure(auth)) answer = auth;
        else if (node === 'me' && edge === 'adaccounts' && method === 'GET')
          answer = reachableAccounts(state, auth, params);
        else if (state.adSets.has(node) && !edge)
          answer = adsManagementMetered(state, state.adSets.get(node)!.accountId, () =>
            adSetRoutes(state, method, node, params, auth),
          );
        else if (node.startsWith('act_')) answer = accountRoutes(method, node.slice(4), edge, params, auth);
        else if (/^\d+$/.test(node)) answer = audienceRoutes(method, node, edge, params, auth, request);
        else answer = errors.unknownPath();
      }
    }
    const extra = (
      request as FastifyRequest & {
        sandboxLog?: { action: 'add' | 'remove'; rows: number; schema: string[]; numInvalid: number } | ReplaceLog;
      }
    ).sandboxLog;
    const errorBody =
      answer.status === 200 ? undefined : (answer.body as { error?: { code?: number; error_subcode?: number } }).error;
    state.log({
      method,
      path: request.url.split('?')[0] ?? request.url,
      accountId,
      audienceId: /^\d+$/.test(node) ? node : undefined,
      status: answer.status,
      userAgent: request.headers['user-agent'],
      ...(extra ?? {}),
      // which kind of audience a creation asked for: tests count lookalike creations by it
      ...(edge === 'customaudiences' && method === 'POST'
        ? { subtype: typeof params.subtype === 'string' ? params.subtype : 'CUSTOM' }
        : {}),
      ...(errorBody ? { metaCode: errorBody.code, metaSubcode: errorBody.error_subcode } : {}),
    });
    return reply
      .code(answer.status)
      .headers(answer.headers ?? {})
      .send(answer.body);
  };

  registerLoginDialog(app, state);
  for (const url of ['/:version/:node', '/:version/:node/:edge']) {
    app.route({ method: ['GET', 'POST', 'DELETE'], url, handler: handle });
  }
}
