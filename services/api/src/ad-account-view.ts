import { z } from 'zod';
import type { AdAccount } from '@canvas/db';
import { tokenWarning, tosUrl } from './ad-account.service.js';
import { IsoDate } from './schemas.js';

export const AdAccountView = z.object({
  id: z.uuid(),
  adAccountId: z.string().describe('Meta ad account id, act_…'),
  name: z.string(),
  status: z.enum(['connected', 'disconnected', 'tos_not_accepted']),
  statusReason: z.string().nullable(),
  tosUrl: z.string().nullable().describe('Where to accept the Custom Audience terms, when they are not accepted'),
  tokenExpiresAt: IsoDate.nullable().describe(
    'When Meta says the token expires (checked hourly); null when it never does',
  ),
  tokenWarning: z
    .enum(['expires_soon', 'expired'])
    .nullable()
    .describe('expires_soon within 7 days of tokenExpiresAt: reconnect with a new token before then'),
  heldSince: IsoDate.nullable().describe(
    'Since when the sync cannot use this connection: its users wait Pending, their retry window paused. ' +
      'Null while connected',
  ),
  addedAt: IsoDate,
  addedBy: z.string().describe('Label of the API key that connected it'),
  isDefault: z.boolean(),
});

/** How the API shows a connection; never its token. */
export const adAccountView = (a: AdAccount, now: Date) => ({
  id: a.id,
  adAccountId: `act_${a.metaAccountId}`,
  name: a.name,
  status: a.status,
  statusReason: a.statusReason,
  tosUrl: a.status === 'tos_not_accepted' ? tosUrl(a.metaAccountId) : null,
  tokenExpiresAt: a.tokenExpiresAt?.toISOString() ?? null,
  tokenWarning: tokenWarning(a.tokenExpiresAt, now),
  heldSince: a.heldSince?.toISOString() ?? null,
  addedAt: a.createdAt.toISOString(),
  addedBy: a.addedBy,
  isDefault: a.isDefault,
});
