import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { errorCode } from '@canvas/canvas';
import { classifyGraphError, GraphApiError, type GraphErrorBody } from './errors.js';
import { bareAdAccountId } from './ids.js';
import { parseUsageHeaders, type AccountUsage, type UseCaseType } from './usage-headers.js';
import { defaultGraphVersion } from './versions.js';

export interface TransportOptions {
  /** https://graph.facebook.com, or the sandbox. */
  baseUrl: string;
  version?: string;
  /** When set, every call carries appsecret_proof (HMAC-SHA256 of the token). */
  appSecret?: string | undefined;
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

export interface GraphCallParams {
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  usageAccountId?: string | undefined;
  /** Which quota the call spends (custom_audience unless said); its usage header entry is read. */
  usageType?: UseCaseType | undefined;
}

/** One Graph call; an empty token sends none (the OAuth code exchange authenticates with the app secret). */
export type GraphCall = <T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  token: string,
  params?: GraphCallParams,
) => Promise<GraphResult<T>>;

export interface Transport {
  version: string;
  call: GraphCall;
  close: () => Promise<void>;
}

/**
 * A keep-alive pool to the Graph API: bodies for every write (removals included, never the query
 * string), usage headers read per ad account, and errors classified by Meta's codes.
 */
export function createTransport(options: TransportOptions): Transport {
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
      const code = errorCode(error);
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
      ? parseUsageHeaders(headers, bareAdAccountId(params.usageAccountId), params.usageType)
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

  return { version, call, close: () => pool.close() };
}
