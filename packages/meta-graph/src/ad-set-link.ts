import type { AdSet, Targeting } from './ad-sets.js';

/** The two ad set calls a link makes. */
export interface AdSetTargetingApi {
  getAdSet: (token: string, adSetId: string) => Promise<{ data: AdSet }>;
  updateAdSetTargeting: (token: string, adSetId: string, targeting: Targeting) => Promise<unknown>;
}

/** The targeting with the audience among its custom audiences, everything else kept; undefined when already there. */
export function targetingWithAudience(
  targeting: Targeting,
  audience: { id: string; name?: string },
): Targeting | undefined {
  const current = targeting.custom_audiences ?? [];
  if (current.some((a) => String(a.id) === audience.id)) return undefined;
  return {
    ...targeting,
    custom_audiences: [...current, { id: audience.id, ...(audience.name ? { name: audience.name } : {}) }],
  };
}

export type LinkOutcome = { linked: true; alreadyThere: boolean } | { linked: false; reason: string };

/**
 * Adds an audience to an ad set's targeting without losing the rest: read, merge, then re-read
 * just before writing and start over if the ad set changed meanwhile (Meta has no conditional write).
 */
export async function linkAudienceToAdSet(
  graph: AdSetTargetingApi,
  token: string,
  adSetId: string,
  audience: { id: string; name?: string },
  attempts = 3,
): Promise<LinkOutcome> {
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const { data: read } = await graph.getAdSet(token, adSetId);
    const merged = targetingWithAudience(read.targeting, audience);
    if (!merged) return { linked: true, alreadyThere: true };
    const { data: beforeWrite } = await graph.getAdSet(token, adSetId);
    if (changedSince(read, beforeWrite)) continue;
    await graph.updateAdSetTargeting(token, adSetId, merged);
    return { linked: true, alreadyThere: false };
  }
  return { linked: false, reason: `ad set ${adSetId} kept changing while it was being linked; try the launch again` };
}

const changedSince = (read: AdSet, now: AdSet) =>
  read.updatedTime !== now.updatedTime || JSON.stringify(read.targeting) !== JSON.stringify(now.targeting);
