import { adSetView } from './ad-set-store.js';
import { errors, graphError, type GraphFailure } from './graph-errors.js';
import type { SandboxState, SandboxToken } from './state.js';

type Params = Record<string, unknown>;
type Answer = GraphFailure | { status: 200; body: unknown };

const fieldsOf = (params: Params) =>
  new Set(typeof params.fields === 'string' ? params.fields.split(',').map((f) => f.trim()) : []);

const pick = (view: Record<string, unknown>, fields: Set<string>) =>
  Object.fromEntries(Object.entries(view).filter(([key]) => key === 'id' || fields.has(key)));

/** GET /act_{id}/adsets. Ad set calls count against the ads_management budget (ads-management-quota.ts). */
export function listAdSets(state: SandboxState, accountId: string, params: Params): Answer {
  const all = [...state.adSets.values()].filter((a) => a.accountId === accountId);
  const limit = Math.min(500, Math.max(1, Number(params.limit ?? 25) || 25));
  const start = typeof params.after === 'string' ? Number(Buffer.from(params.after, 'base64url').toString()) || 0 : 0;
  const page = all.slice(start, start + limit);
  const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  const fields = fieldsOf(params);
  return {
    status: 200,
    body: {
      data: page.map((a) => pick(adSetView(a), fields)),
      paging: {
        cursors: { before: Buffer.from(String(start)).toString('base64url'), after: next ?? '' },
        ...(next ? { next: `/act_${accountId}/adsets?after=${next}&limit=${limit}` } : {}),
      },
    },
  };
}

function targetingOf(value: unknown): Record<string, unknown> | undefined {
  const parsed: unknown = typeof value === 'string' ? safeJson(value) : value;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** GET /{ad-set-id} and POST /{ad-set-id} with a new targeting spec, which replaces the old one whole. */
export function adSetRoutes(
  state: SandboxState,
  method: string,
  adSetId: string,
  params: Params,
  token: SandboxToken,
): Answer {
  const adSet = state.adSets.get(adSetId);
  if (!adSet || !state.canUse(token, adSet.accountId)) return errors.objectMissing(adSetId, method);
  if (method === 'GET') {
    const body = pick(adSetView(adSet), fieldsOf(params));
    const edit = adSet.pendingEdit;
    if (edit && --edit.afterReads <= 0) {
      adSet.targeting = { ...adSet.targeting, ...edit.targeting };
      adSet.updatedAt = Math.max(state.clock.now(), adSet.updatedAt + 1000);
      adSet.pendingEdit = undefined;
    }
    return { status: 200, body };
  }
  if (method !== 'POST') return errors.unknownPath();
  if (!token.scopes.includes('ads_management'))
    return graphError(200, '(#200) Requires ads_management permission to manage the object');
  if (params.targeting === undefined) return errors.invalidParameter('Nothing to update: pass targeting');
  const targeting = targetingOf(params.targeting);
  if (!targeting) return errors.invalidParameter('Param targeting must be a JSON object');
  for (const key of ['custom_audiences', 'excluded_custom_audiences']) {
    const list = targeting[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return errors.invalidParameter(`Param targeting[${key}] must be an array`);
    for (const entry of list as { id?: unknown }[]) {
      const id = typeof entry?.id === 'string' || typeof entry?.id === 'number' ? String(entry.id) : '';
      const audience = state.audiences.get(id);
      if (!audience || audience.deleted || audience.accountId !== adSet.accountId)
        return graphError(100, '(#100) Invalid parameter', {
          subcode: 1885263,
          userTitle: 'Custom audience unavailable',
          userMsg: `Custom audience ${id || '(no id)'} is not available to this ad account.`,
        });
    }
  }
  adSet.targeting = targeting;
  adSet.updatedAt = Math.max(state.clock.now(), adSet.updatedAt + 1000);
  return { status: 200, body: { success: true } };
}
