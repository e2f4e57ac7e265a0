import { versionLifetime } from '@canvas/meta-graph';
import { z } from 'zod';

export const GraphApiVersionView = z
  .object({
    version: z.string().describe('The Marketing API version the services call (META_GRAPH_VERSION)'),
    expiresOn: z.string().nullable().describe("Meta's expiry date (YYYY-MM-DD); null while Meta has set none"),
    daysLeft: z.number().int().nullable().describe('Days until Meta stops answering this version'),
  })
  .describe('The Graph API version in use and how long Meta keeps serving it');
export type GraphApiVersionView = z.infer<typeof GraphApiVersionView>;

export function graphApiVersionView(version: string, now: Date): GraphApiVersionView {
  const lifetime = versionLifetime(version, now);
  return { version, expiresOn: lifetime.expires, daysLeft: lifetime.daysLeft };
}
