import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { AdAccount } from '../types.js';

export interface SegmentSummary {
  id: string;
  name: string;
}

export interface Estimate {
  members: number;
  membersRange: { low: number; high: number };
  matchableOnFacebook: number;
  byKey: Record<string, number>;
  exact: boolean;
}

const cache = new Map<string, Promise<unknown>>();

/** One GET, shared by every form on the page that asks for it; failures are forgotten so a retry asks again. */
function cachedGet<T>(path: string): Promise<T> {
  let promise = cache.get(path) as Promise<T> | undefined;
  if (!promise) {
    promise = api<T>('GET', path);
    promise.catch(() => cache.delete(path));
    cache.set(path, promise);
  }
  return promise;
}

/** Forget what was read, e.g. after a segment is saved. */
export const forgetCached = (prefix: string) => {
  for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
};

function useGet<T>(path: string | null, pick: (body: T) => unknown = (b) => b): { data: unknown; error: unknown } {
  const [state, setState] = useState<{ data: unknown; error: unknown }>({ data: undefined, error: undefined });
  useEffect(() => {
    if (!path) return;
    let live = true;
    cachedGet<T>(path)
      .then((body) => live && setState({ data: pick(body), error: undefined }))
      .catch((error: unknown) => live && setState({ data: undefined, error }));
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}

export function useSegments(): SegmentSummary[] {
  return (useGet<{ data: SegmentSummary[] }>('/v1/segments?limit=100', (b) => b.data).data as SegmentSummary[]) ?? [];
}

export function useAdAccounts(): AdAccount[] {
  return (useGet<{ data: AdAccount[] }>('/v1/ad-accounts', (b) => b.data).data as AdAccount[]) ?? [];
}

/** The connected account a step's adAccountId names, or the workspace's default when it names none. */
export function accountFor(accounts: AdAccount[], adAccountId: unknown): AdAccount | undefined {
  if (typeof adAccountId !== 'string' || adAccountId === '') return accounts.find((a) => a.isDefault);
  const bare = adAccountId.replace(/^act_/, '');
  return accounts.find((a) => a.adAccountId.replace(/^act_/, '') === bare);
}

export interface MetaAudience {
  id: string;
  name: string | null;
  approximateCount: number | null;
}

export interface MetaAdSet {
  id: string;
  name: string;
  status: string | null;
}

/** A list Meta holds for an account, first page (up to 500). */
export function useMetaList<T>(accountId: string | undefined, what: 'audiences' | 'ad-sets') {
  const { data, error } = useGet<{ data: T[] }>(
    accountId ? `/v1/ad-accounts/${accountId}/${what}?limit=500` : null,
    (b) => b.data,
  );
  return { items: (data as T[] | undefined) ?? [], error, loading: Boolean(accountId) && !data && !error };
}

/** The time zones this browser knows, for schedules and delays. */
export const timeZones: string[] = (() => {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
})();

export const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
