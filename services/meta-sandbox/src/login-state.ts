import { randomBytes } from 'node:crypto';

/** The app the sandbox's Facebook Login serves (Meta: the app id and secret from the app dashboard). */
export interface SandboxApp {
  appId: string;
  appSecret: string;
}

/**
 * The person signed in to Facebook when the login dialog opens. Meta shows a consent screen; the
 * sandbox answers it at once, as this person (an emulator choice).
 */
export interface LoginPerson {
  name: string;
  /** Ad accounts the person can reach, or every sandbox account. */
  adAccounts: string[] | '*';
  /** The person presses "Cancel" on the dialog. */
  declines: boolean;
}

export interface AuthorizationCode {
  code: string;
  redirectUri: string;
  scopes: string[];
  adAccounts: string[] | '*';
  userId: string;
  /** Sandbox-clock milliseconds. */
  issuedAt: number;
  used: boolean;
}

/** Meta's code lives about ten minutes and works once. */
export const codeLifetimeMs = 10 * 60_000;
/** A token from the code exchange lives about two hours; the long-lived one about 60 days (Meta: 5,183,944 s). */
export const shortTokenSeconds = 7_200;
export const longTokenSeconds = 5_183_944;

export const defaultApp: SandboxApp = { appId: '1000000000000001', appSecret: 'sandbox-app-secret' };
export const defaultLoginPerson = (): LoginPerson => ({ name: 'Sandbox Person', adAccounts: '*', declines: false });

export const newCode = () => `AQ${randomBytes(48).toString('base64url')}`;
