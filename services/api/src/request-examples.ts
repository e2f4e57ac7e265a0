import { abandonedCartExample, cartAbandonersSegmentExample } from '@canvas/canvas';

/**
 * One request body per operation that the API accepts as it is (Swagger UI's "Try it out"
 * sends them). The ad account and token are the ones `make dev`'s sandbox knows.
 */
export const requestExamples = {
  connectAdAccount: { adAccountId: 'act_1234567890', accessToken: 'EAAB-example-token-0001', makeDefault: true },
  replaceToken: { accessToken: 'EAAB-example-token-0001' },
  createApiKey: { label: 'CI pipeline' },
  canvas: abandonedCartExample,
  segment: cartAbandonersSegmentExample,
  erasures: { userIds: ['user-1842', 'user-1907'] },
  redrive: { note: 'Token reconnected after the weekend outage' },
  workspaceSettings: { audienceNamePrefix: 'CA_', blockLaunchOnQuotaRisk: false },
  dryRun: { window: { lastDays: 7 } },
  facebookLoginConnect: { adAccountIds: ['act_1234567890', 'act_2345678901'], defaultAdAccountId: 'act_1234567890' },
} as const;
