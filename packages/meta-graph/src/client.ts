import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { classifyGraphError, GraphApiError, type GraphErrorBody } from './errors.js';
import { parseUsageHeaders, type AccountUsage, type UseCaseType } from './usage-headers.js';
import { maxUsersPerRequest, type UsersPayload } from './payload.js';
import { defaultGraphVersion } from './versions.js';
import { wireRow } from './limited-data-use.js';
import { adSetCalls } from './ad-sets.js';
import { facebookLoginCalls } from './facebook-login.js';

export interface GraphClientOptions {
  /** https://graph.facebook.com, or the sandbox. */
  baseUrl: string;
  version?: string;
  /** When set, every call carries appsecret_proof (HMAC-SHA256 of the token). */
  appSecret?: string | undefined;
  /** App id, with appSecret, makes the app token used for debug_token. */
  appId?: string | undefined;
  connections?: number;
  timeoutMs?: number;
  /** Milliseconds to wait on a throttle when Meta's headers give no estimate. */
  defaultThrottleWaitMs?: number;
  /** Identifies the caller in Meta's (and the sandbox's) logs. */
  userAgent?: string;
}

/** A call's result plus Meta's usage report for the ad account, when it sent one. */
export interface GraphResult<T> {
  data: T;
  usage?: AccountUsage | undefined;
}

export interface TokenInfo {
  isValid: boolean;
  appId?: string;
  userId?: string;
  type?: string;
  scopes: string[];
  /** Seconds since the epoch; 0 means it never expires. */
  expiresAt?: number;
}

export interface AdAccountInfo {
  id: string;
  name: string;
  accountStatus?: number;
  customAudienceTosAccepted: boolean;
}

export interface CustomAudience {
  id: string;
  name?: string;
  description?: string;
  subtype?: string;
  approximateCountLowerBound?: number;
  approximateCountUpperBound?: number;
  deliveryStatus?: { code: number; description?: string };
  operationStatus?: { code: number; description?: string };
  /** Meta's is_eligible_for_sac_campaigns: usable in housing, employment and financial campaigns. */
  sacEligible?: boolean;
}

export interface UsersResult {
  audienceId: string;
  sessionId?: string;
  numReceived: number;
  numInvalidEntries: number;
  invalidEntrySamples: unknown;
}

export interface UploadSession {
  sessionId: string | number;
  batchSeq: number;
  lastBatchFlag: boolean;
  estimatedNumTotal?: number;
}

export interface NewCustomAudience {
  name: string;
  description?: string | undefined;
  customerFileSource?: 'USER_PROVIDED_ONLY' | 'PARTNER_PROVIDED_ONLY' | 'BOTH_USER_AND_PARTNER_PROVIDED';
}

export interface GraphCallParams {
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  usageAccountId?: string | undefined;
  /** Which quota the call spends (custom_audience unless said); its usage header entry is read. */
  usageType?: UseCaseType | undefined;
}

export type GraphCall = <T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  token: string,
  params?: GraphCallParams,
) => Promise<GraphResult<T>>;

const audienceFields =
  'id,name,description,subtype,approximate_count_lower_bound,approximate_count_upper_bound,delivery_status,' +
  'operation_status,is_eligible_for_sac_campaigns';

const actId = (adAccountId: string) => `act_${adAccountId.replace(/^act_/, '')}`;
const bareId = (adAccountId: string) => adAccountId.replace(/^act_/, '');

/**
 * The Graph API client for customer-file custom audiences: a keep-alive pool, bodies for
 * every write (removals included, never the query string), and errors classified by Meta's codes.
 */
export function createGraphClient(options: GraphClientOptions) {
  const version = options.version ?? defaultGraphVersion;
  const base = new URL(options.baseUrl);
  const pool = new Pool(base.origin, {
    connections: options.connections ?? 16,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs ?? 60_000,
    bodyTimeout: options.timeoutMs ?? 60_000,
    connectTimeout: 10_000,
  });
  const prefix = base.pathname.replace(/\/$/, '');
  const defaultThrottleWaitMs = options.defaultThrottleWaitMs ?? 60_000;

  const proof = (token: string) =>
    options.appSecret ? createHmac('sha256', options.appSecret).update(token).digest('hex') : undefined;

  /** One Graph call; an empty token sends none (the OAuth code exchange authenticates with the app secret). */
  async function call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    token: string,
    params: GraphCallParams = {},
  ): Promise<GraphResult<T>> {
    const query = new URLSearchParams(params.query);
    const appsecretProof = token ? proof(token) : undefined;
    const body = params.body ? { ...params.body } : undefined;
    if (appsecretProof) {
      if (body) body.appsecret_proof = appsecretProof;
      else query.set('appsecret_proof', appsecretProof);
    }
    const search = query.toString();
    let response: Awaited<ReturnType<typeof pool.request>>;
    try {
      response = await pool.request({
        method,
        path: `${prefix}/${version}/${path}${search ? `?${search}` : ''}`,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          accept: 'application/json',
          'user-agent': options.userAgent ?? 'canvas-journey-engine',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      // a request that cannot even be written (e.g. a token with characters a header cannot hold) is no outage
      if (code === 'UND_ERR_INVALID_ARG' || error instanceof TypeError)
        throw new GraphApiError(
          'token_invalid',
          'the request could not be sent: the token holds characters a header cannot carry',
          { cause: error },
        );
      throw new GraphApiError('transient', `network error: ${code ?? (error as Error).message}`, { cause: error });
    }
    const headers = response.headers as Record<string, string | string[] | undefined>;
    const usage = params.usageAccountId
      ? parseUsageHeaders(headers, bareId(params.usageAccountId), params.usageType)
      : undefined;
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw new GraphApiError('transient', 'connection dropped while reading the answer', {
        httpStatus: response.statusCode,
        cause: error,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Meta sometimes answers with an HTML error page; treat it as a server fault
      throw new GraphApiError('transient', `non-JSON answer (HTTP ${response.statusCode})`, {
        httpStatus: response.statusCode,
      });
    }
    const envelope = (json as { error?: GraphErrorBody } | null)?.error;
    if (response.statusCode >= 400 || envelope) {
      const errorBody = envelope ?? {};
      const classification = classifyGraphError(errorBody, response.statusCode);
      const retryAfterMs = classification === 'throttled' ? usage?.regainAccessMs || defaultThrottleWaitMs : undefined;
      throw new GraphApiError(classification, errorBody.message ?? `HTTP ${response.statusCode}`, {
        httpStatus: response.statusCode,
        metaCode: errorBody.code,
        metaSubcode: errorBody.error_subcode,
        fbtraceId: errorBody.fbtrace_id,
        retryAfterMs,
      });
    }
    return { data: json as T, usage };
  }

  function usersBody(payload: UsersPayload, session?: UploadSession) {
    if (payload.data.length > maxUsersPerRequest)
      throw new RangeError(`at most ${maxUsersPerRequest} users per request`);
    return {
      payload: { schema: payload.schema, data: payload.data.map((row) => wireRow(payload.schema, row)), is_raw: true },
      ...(session
        ? {
            session: {
              session_id: session.sessionId,
              batch_seq: session.batchSeq,
              last_batch_flag: session.lastBatchFlag,
              ...(session.estimatedNumTotal ? { estimated_num_total: session.estimatedNumTotal } : {}),
            },
          }
        : {}),
    };
  }

  const toUsersResult = (raw: {
    audience_id?: string;
    session_id?: string;
    num_received?: number;
    num_invalid_entries?: number;
    invalid_entry_samples?: unknown;
  }): UsersResult => ({
    audienceId: String(raw.audience_id ?? ''),
    ...(raw.session_id === undefined ? {} : { sessionId: String(raw.session_id) }),
    numReceived: raw.num_received ?? 0,
    numInvalidEntries: raw.num_invalid_entries ?? 0,
    invalidEntrySamples: raw.invalid_entry_samples ?? {},
  });

  const toAudience = (raw: Record<string, unknown>): CustomAudience => ({
    id: String(raw.id),
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    ...(typeof raw.subtype === 'string' ? { subtype: raw.subtype } : {}),
    ...(typeof raw.approximate_count_lower_bound === 'number'
      ? { approximateCountLowerBound: raw.approximate_count_lower_bound }
      : {}),
    ...(typeof raw.approximate_count_upper_bound === 'number'
      ? { approximateCountUpperBound: raw.approximate_count_upper_bound }
      : {}),
    ...(raw.delivery_status ? { deliveryStatus: raw.delivery_status as { code: number } } : {}),
    ...(raw.operation_status ? { operationStatus: raw.operation_status as { code: number } } : {}),
    ...(typeof raw.is_eligible_for_sac_campaigns === 'boolean'
      ? { sacEligible: raw.is_eligible_for_sac_campaigns }
      : {}),
  });

  return {
    version,
    ...adSetCalls(call),
    ...facebookLoginCalls(call),

    /** Inspects a token with the app token when app credentials are configured, else with itself. */
    async debugToken(token: string): Promise<TokenInfo> {
      const appToken = options.appId && options.appSecret ? `${options.appId}|${options.appSecret}` : token;
      const { data } = await call<{
        data?: {
          is_valid?: boolean;
          app_id?: string;
          user_id?: string;
          type?: string;
          scopes?: string[];
          expires_at?: number;
        };
      }>('GET', 'debug_token', appToken, { query: { input_token: token } });
      const info = data.data ?? {};
      return {
        isValid: info.is_valid === true,
        scopes: info.scopes ?? [],
        ...(info.app_id ? { appId: info.app_id } : {}),
        ...(info.user_id ? { userId: info.user_id } : {}),
        ...(info.type ? { type: info.type } : {}),
        ...(info.expires_at === undefined ? {} : { expiresAt: info.expires_at }),
      };
    },

    async getAdAccount(token: string, adAccountId: string): Promise<GraphResult<AdAccountInfo>> {
      const result = await call<{
        id: string;
        name?: string;
        account_status?: number;
        tos_accepted?: Record<string, number>;
      }>('GET', actId(adAccountId), token, {
        query: { fields: 'id,name,account_status,tos_accepted' },
        usageAccountId: adAccountId,
      });
      const raw = result.data;
      return {
        usage: result.usage,
        data: {
          id: bareId(raw.id),
          name: raw.name ?? actId(adAccountId),
          ...(raw.account_status === undefined ? {} : { accountStatus: raw.account_status }),
          customAudienceTosAccepted: raw.tos_accepted?.custom_audience_tos === 1,
        },
      };
    },

    async listCustomAudiences(
      token: string,
      adAccountId: string,
      page: { limit?: number; after?: string } = {},
    ): Promise<GraphResult<{ audiences: CustomAudience[]; after?: string }>> {
      const query: Record<string, string> = { fields: audienceFields, limit: String(page.limit ?? 100) };
      if (page.after) query.after = page.after;
      const result = await call<{
        data?: Record<string, unknown>[];
        paging?: { cursors?: { after?: string }; next?: string };
      }>('GET', `${actId(adAccountId)}/customaudiences`, token, { query, usageAccountId: adAccountId });
      const after = result.data.paging?.next ? result.data.paging.cursors?.after : undefined;
      return {
        usage: result.usage,
        data: { audiences: (result.data.data ?? []).map(toAudience), ...(after ? { after } : {}) },
      };
    },

    async createCustomAudience(
      token: string,
      adAccountId: string,
      audience: NewCustomAudience,
    ): Promise<GraphResult<{ id: string }>> {
      const result = await call<{ id?: string; data?: { id?: string }[] }>(
        'POST',
        `${actId(adAccountId)}/customaudiences`,
        token,
        {
          body: {
            name: audience.name,
            subtype: 'CUSTOM',
            customer_file_source: audience.customerFileSource ?? 'USER_PROVIDED_ONLY',
            ...(audience.description ? { description: audience.description } : {}),
          },
          usageAccountId: adAccountId,
        },
      );
      // Meta answers {"id"}; one of its pages shows {"data":[{"id"}]}
      const id = result.data.id ?? result.data.data?.[0]?.id;
      if (!id) throw new GraphApiError('transient', 'audience created without an id in the answer');
      return { usage: result.usage, data: { id: String(id) } };
    },

    async getCustomAudience(
      token: string,
      audienceId: string,
      adAccountId?: string,
    ): Promise<GraphResult<CustomAudience>> {
      const result = await call<Record<string, unknown>>('GET', audienceId, token, {
        query: { fields: audienceFields },
        usageAccountId: adAccountId,
      });
      return { usage: result.usage, data: toAudience(result.data) };
    },

    async updateCustomAudience(
      token: string,
      audienceId: string,
      changes: { name?: string; description?: string },
      adAccountId?: string,
    ): Promise<GraphResult<{ success: boolean }>> {
      return call('POST', audienceId, token, { body: changes, usageAccountId: adAccountId });
    },

    async deleteCustomAudience(
      token: string,
      audienceId: string,
      adAccountId?: string,
    ): Promise<GraphResult<{ success: boolean }>> {
      return call('DELETE', audienceId, token, { usageAccountId: adAccountId });
    },

    async addUsers(
      token: string,
      audienceId: string,
      payload: UsersPayload,
      context: { adAccountId?: string; session?: UploadSession } = {},
    ): Promise<GraphResult<UsersResult>> {
      const result = await call<Parameters<typeof toUsersResult>[0]>('POST', `${audienceId}/users`, token, {
        body: usersBody(payload, context.session),
        usageAccountId: context.adAccountId,
      });
      return { usage: result.usage, data: toUsersResult(result.data) };
    },

    /** Removals go in the request body: large DELETEs in a query string fail at Meta. */
    async removeUsers(
      token: string,
      audienceId: string,
      payload: UsersPayload,
      context: { adAccountId?: string; session?: UploadSession } = {},
    ): Promise<GraphResult<UsersResult>> {
      const result = await call<Parameters<typeof toUsersResult>[0]>('DELETE', `${audienceId}/users`, token, {
        body: usersBody(payload, context.session),
        usageAccountId: context.adAccountId,
      });
      return { usage: result.usage, data: toUsersResult(result.data) };
    },

    close: () => pool.close(),
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
