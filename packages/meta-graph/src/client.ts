import { adSetCalls } from './ad-sets.js';
import { customAudienceCalls } from './custom-audiences.js';
import { facebookLoginCalls } from './facebook-login.js';
import { lookalikeCalls } from './lookalikes.js';
import { tokenCalls } from './tokens.js';
import { createTransport, type TransportOptions } from './transport.js';
import { usersCalls } from './users.js';
import { replaceCalls } from './users-replace.js';

export interface GraphClientOptions extends TransportOptions {
  /** App id, with appSecret, makes the app token used for debug_token. */
  appId?: string | undefined;
}

/** The Graph API client: one transport, each area's calls on it. */
export function createGraphClient(options: GraphClientOptions) {
  const { version, call, close } = createTransport(options);
  return {
    version,
    ...tokenCalls(call, { appId: options.appId, appSecret: options.appSecret }),
    ...customAudienceCalls(call),
    ...lookalikeCalls(call),
    ...usersCalls(call),
    ...replaceCalls(call),
    ...adSetCalls(call),
    ...facebookLoginCalls(call),
    close,
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
