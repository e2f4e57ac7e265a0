/** The row a sealed token is bound to (the cipher's associated data): a copy in any other row fails to decrypt. */
export interface SealedTokenRow {
  table: 'ad_accounts' | 'facebook_logins';
  workspaceId: string;
  id: string;
}

export const adAccountTokenRow = (account: { workspaceId: string; id: string }): SealedTokenRow => ({
  table: 'ad_accounts',
  workspaceId: account.workspaceId,
  id: account.id,
});

export const facebookLoginTokenRow = (login: { workspaceId: string; id: string }): SealedTokenRow => ({
  table: 'facebook_logins',
  workspaceId: login.workspaceId,
  id: login.id,
});
