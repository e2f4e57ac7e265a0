/**
 * The API's hints name endpoints for scripts; in the console they say where to click instead.
 * A few codes are said in the console's own words, any other endpoint is left out of the hint.
 */
const reconnect = 'Reconnect it on the Ad accounts page (a new token, or Connect with Facebook)';
const codeWords: Record<string, string> = {
  ad_account_missing: 'Connect it on the Ad accounts page, with a token or with Facebook',
  ad_account_not_connected: 'Connect it on the Ad accounts page, with a token or with Facebook',
  ad_account_disconnected: `${reconnect}; waiting users are sent once it is back`,
  token_expires_soon: reconnect,
  quota_at_risk: 'Spread the load over other accounts or steps, or launch later',
};
const resyncEndpoint = /\s*\(POST \/v1\/canvases\/[^)\s]+\/steps\/[^)\s]+\/resync\)/g;
const anyEndpoint = /\s*\(?(?:GET|POST|PUT|PATCH|DELETE) \/v1\/[^\s);,]*\)?/g;

const sentence = (text: string) =>
  text ? `${text[0]?.toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}` : '';

/** A problem's hint in the console's words: no HTTP method or /v1/ path reaches the page. */
export function hintInWords(code: string, hint: string): string {
  const own = codeWords[code];
  if (own) return sentence(own);
  return sentence(hint.replace(resyncEndpoint, ' with the Resync button on this page').replace(anyEndpoint, '').trim());
}

/** What to do about a problem the console has its own words for; empty for any other. */
export const consoleHint = (code: string) => sentence(codeWords[code] ?? '');
