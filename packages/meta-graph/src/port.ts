import type { AdSetCalls } from './ad-sets.js';
import type { CustomAudience, NewCustomAudience } from './custom-audiences.js';
import type { NewLookalikeAudience } from './lookalikes.js';
import type { AppCredentials, IssuedToken, ReachableAdAccount } from './facebook-login.js';
import type { PageRequest } from './paging.js';
import type { UsersPayload } from './payload.js';
import type { AdAccountInfo, TokenInfo } from './tokens.js';
import type { GraphResult } from './transport.js';
import type { UploadSession, UsersResult } from './users.js';
import type { UploadSessionState } from './users-replace.js';

/**
 * What the designer API needs from Meta. The Graph client satisfies it; unit tests may use a
 * fake of this port, integration tests use the sandbox.
 */
export interface AdAccountDirectory extends AdSetCalls {
  debugToken: (token: string) => Promise<TokenInfo>;
  getAdAccount: (token: string, adAccountId: string) => Promise<GraphResult<AdAccountInfo>>;
  listCustomAudiences: (
    token: string,
    adAccountId: string,
    page?: PageRequest,
  ) => Promise<GraphResult<{ audiences: CustomAudience[]; after?: string }>>;
  createCustomAudience: (
    token: string,
    adAccountId: string,
    audience: NewCustomAudience,
  ) => Promise<GraphResult<{ id: string }>>;
  getCustomAudience: (token: string, audienceId: string, adAccountId?: string) => Promise<GraphResult<CustomAudience>>;
  exchangeCode: (app: AppCredentials, code: string, redirectUri: string) => Promise<IssuedToken>;
  longLivedToken: (app: AppCredentials, shortLived: string) => Promise<IssuedToken>;
  reachableAdAccounts: (token: string) => Promise<ReachableAdAccount[]>;
}

/** What the audience sync needs from Meta. */
export interface AudienceUploader {
  addUsers: (
    token: string,
    audienceId: string,
    payload: UsersPayload,
    context?: { adAccountId?: string },
  ) => Promise<GraphResult<UsersResult>>;
  removeUsers: (
    token: string,
    audienceId: string,
    payload: UsersPayload,
    context?: { adAccountId?: string },
  ) => Promise<GraphResult<UsersResult>>;
  /** Reads operation_status and SAC eligibility; without it the sync records only what writes answer. */
  getCustomAudience?: (token: string, audienceId: string, adAccountId?: string) => Promise<GraphResult<CustomAudience>>;
}

/** What the audience sync needs to make lookalikes: read the source and the account's audiences, create once. */
export interface LookalikeMaker {
  getCustomAudience: (token: string, audienceId: string, adAccountId?: string) => Promise<GraphResult<CustomAudience>>;
  listCustomAudiences: (
    token: string,
    adAccountId: string,
    page?: PageRequest,
  ) => Promise<GraphResult<{ audiences: CustomAudience[]; after?: string }>>;
  createLookalikeAudience: (
    token: string,
    adAccountId: string,
    lookalike: NewLookalikeAudience,
  ) => Promise<GraphResult<{ id: string }>>;
}

/** What an audience resync needs from Meta: replace-session batches and the session's state. */
export interface AudienceReplacer {
  replaceUsers: (
    token: string,
    audienceId: string,
    payload: UsersPayload,
    session: UploadSession,
    context?: { adAccountId?: string },
  ) => Promise<GraphResult<UsersResult>>;
  readUploadSession: (
    token: string,
    audienceId: string,
    sessionId: string,
    context?: { adAccountId?: string },
  ) => Promise<GraphResult<UploadSessionState | undefined>>;
  /** The audience's operation_status after a session ended (415: the replace failed). */
  getCustomAudience: (token: string, audienceId: string, adAccountId?: string) => Promise<GraphResult<CustomAudience>>;
}
