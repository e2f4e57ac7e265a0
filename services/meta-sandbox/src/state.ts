import { randomBytes } from 'node:crypto';
import { ScaledClock } from './clock.js';
import { FaultInjector } from './fault-injector.js';
import { ReplaceSessions } from './replace-sessions.js';
import { QuotaMeter } from './quota-meter.js';
import { defaultSettings, type SandboxSettings } from './sandbox-config.js';
import type { SandboxAudience } from './audience-store.js';
import type { SandboxAdSet } from './ad-set-store.js';
import {
  defaultApp,
  defaultLoginPerson,
  type AuthorizationCode,
  type LoginPerson,
  type SandboxApp,
} from './login-state.js';
import { bareAdAccountId } from '@canvas/meta-graph';

export interface SandboxAccount {
  id: string;
  name: string;
  tosAccepted: boolean;
}

export type TokenStatus = 'valid' | 'expired' | 'revoked';

export interface SandboxToken {
  token: string;
  status: TokenStatus;
  /** Ad account ids the token may use, or every account. */
  adAccounts: string[] | '*';
  scopes: string[];
  userId: string;
  type: 'USER' | 'SYSTEM_USER';
  /** Unix seconds after which the token is expired (on the sandbox clock); 0 never expires. */
  expiresAt: number;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  accountId?: string | undefined;
  audienceId?: string | undefined;
  action?: 'add' | 'remove' | 'replace' | undefined;
  rows?: number | undefined;
  schema?: string[] | undefined;
  status: number;
  metaCode?: number | undefined;
  metaSubcode?: number | undefined;
  numInvalid?: number | undefined;
  /** Of a `POST act_…/customaudiences`: the subtype asked for (CUSTOM or LOOKALIKE). */
  subtype?: string | undefined;
  /** For replace batches: the session and its batch_seq. */
  sessionId?: string | undefined;
  batchSeq?: number | undefined;
  userAgent?: string | undefined;
}

export const numericId = (digits: number) => {
  let id = String(1 + Math.floor(Math.random() * 9));
  const bytes = randomBytes(digits);
  for (let i = 1; i < digits; i += 1) id += String((bytes[i] ?? 0) % 10);
  return id;
};

/** Everything the emulator knows, in memory. */
export class SandboxState {
  settings: SandboxSettings;
  private readonly initialSettings: SandboxSettings;
  readonly clock: ScaledClock;
  readonly quota: QuotaMeter;
  readonly faults: FaultInjector;
  /** Replace sessions per audience (`/usersreplace`), on the sandbox clock. */
  readonly replaces: ReplaceSessions;
  readonly accounts = new Map<string, SandboxAccount>();
  readonly tokens = new Map<string, SandboxToken>();
  readonly audiences = new Map<string, SandboxAudience>();
  readonly adSets = new Map<string, SandboxAdSet>();
  readonly app: SandboxApp = { ...defaultApp };
  loginPerson: LoginPerson = defaultLoginPerson();
  readonly authorizationCodes = new Map<string, AuthorizationCode>();
  readonly requests: LoggedRequest[] = [];
  /**
   * Match values refused as invalid entries although well formed. Which rows Meta refuses beyond
   * formatting is not documented, so a test names them (an emulator choice).
   */
  readonly refusedValues = new Set<string>();

  constructor(
    options: { settings?: Partial<SandboxSettings>; timeScale?: number; seed?: number; realNow?: () => number } = {},
  ) {
    this.settings = { ...defaultSettings, ...options.settings };
    this.initialSettings = { ...this.settings };
    this.clock = new ScaledClock(options.timeScale ?? 1, options.realNow);
    this.quota = new QuotaMeter(this.clock);
    this.faults = new FaultInjector(options.seed ?? 42);
    this.replaces = new ReplaceSessions(this.clock, () => ({
      processingMs: this.settings.replaceProcessingMs,
      maxMembers: this.settings.maxReplaceMembers,
    }));
  }

  createAccount(input: {
    id?: string | undefined;
    name?: string | undefined;
    tosAccepted?: boolean | undefined;
  }): SandboxAccount {
    const id = bareAdAccountId(input.id ?? numericId(15));
    const account = { id, name: input.name ?? `Sandbox account ${id}`, tosAccepted: input.tosAccepted ?? true };
    this.accounts.set(id, account);
    return account;
  }

  createToken(input: {
    token?: string | undefined;
    status?: TokenStatus | undefined;
    adAccounts?: string[] | '*' | undefined;
    scopes?: string[] | undefined;
    type?: 'USER' | 'SYSTEM_USER' | undefined;
    expiresAt?: number | undefined;
    userId?: string | undefined;
  }): SandboxToken {
    const token: SandboxToken = {
      token: input.token ?? `EAAB${randomBytes(24).toString('base64url')}`,
      status: input.status ?? 'valid',
      adAccounts:
        input.adAccounts === '*' || input.adAccounts === undefined ? '*' : input.adAccounts.map(bareAdAccountId),
      scopes: input.scopes ?? ['ads_management', 'ads_read'],
      userId: input.userId ?? numericId(15),
      type: input.type ?? 'SYSTEM_USER',
      expiresAt: input.expiresAt ?? 0,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  createAdSet(input: {
    accountId: string;
    name?: string | undefined;
    targeting?: Record<string, unknown> | undefined;
  }): SandboxAdSet {
    const id = `120${numericId(15)}`;
    const adSet: SandboxAdSet = {
      id,
      accountId: bareAdAccountId(input.accountId),
      name: input.name ?? `Ad set ${id}`,
      status: 'ACTIVE',
      targeting: input.targeting ?? { geo_locations: { countries: ['US'] } },
      updatedAt: this.clock.now(),
    };
    this.adSets.set(id, adSet);
    return adSet;
  }

  newAudienceId(): string {
    return `238${numericId(14)}`;
  }

  /** A new, empty customer-file audience of the account, with what is given set over the defaults. */
  addAudience(given: Pick<SandboxAudience, 'accountId' | 'name'> & Partial<SandboxAudience>): SandboxAudience {
    const now = this.clock.now();
    const audience: SandboxAudience = {
      id: this.newAudienceId(),
      description: '',
      subtype: 'CUSTOM',
      customerFileSource: 'USER_PROVIDED_ONLY',
      retentionDays: null,
      createdAt: now,
      updatedAt: now,
      deleted: false,
      members: new Map(),
      index: new Map(),
      addedAt: new Map(),
      sessions: new Map(),
      ...given,
    };
    this.audiences.set(audience.id, audience);
    return audience;
  }

  activeAudienceCount(accountId: string): number {
    let count = 0;
    for (const audience of this.audiences.values())
      if (audience.accountId === accountId && !audience.deleted) count += 1;
    return count;
  }

  /** The account's custom_audience quota per hour, by Meta's formula. */
  quotaFor(accountId: string): number {
    const { quotaBase, quotaPerAudience, quotaCap } = this.settings;
    return Math.min(quotaCap, quotaBase + quotaPerAudience * this.activeAudienceCount(accountId));
  }

  /** A token's status now: a valid token past its expiry time is expired. */
  statusOf(token: SandboxToken): TokenStatus {
    if (token.status === 'valid' && token.expiresAt > 0 && this.clock.now() / 1000 >= token.expiresAt) return 'expired';
    return token.status;
  }

  canUse(token: SandboxToken, accountId: string): boolean {
    return token.adAccounts === '*' || token.adAccounts.includes(accountId);
  }

  log(entry: Omit<LoggedRequest, 'at'>): void {
    this.requests.push({ at: Date.now(), ...entry });
    if (this.requests.length > this.settings.requestLogSize)
      this.requests.splice(0, this.requests.length - this.settings.requestLogSize);
  }

  /** Forgets everything and restores the settings the sandbox started with. */
  reset(): void {
    this.settings = { ...this.initialSettings };
    this.accounts.clear();
    this.tokens.clear();
    this.audiences.clear();
    this.adSets.clear();
    this.loginPerson = defaultLoginPerson();
    this.authorizationCodes.clear();
    this.refusedValues.clear();
    this.requests.length = 0;
    this.quota.reset();
    this.faults.clear();
    this.replaces.clear();
  }
}
