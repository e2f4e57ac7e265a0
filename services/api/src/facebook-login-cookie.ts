import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The cookie that binds a Facebook Login to the browser that started it. Over https it is a
 * `__Host-` cookie (Secure, whole host, no Domain: a sibling subdomain cannot plant it); a local
 * http callback (make dev, tests) gets the same cookie without the prefix, which browsers require Secure for.
 */
export interface BindingCookie {
  name: string;
  secure: boolean;
}

export const bindingCookie = (redirectUri: string): BindingCookie =>
  new URL(redirectUri).protocol === 'https:'
    ? { name: '__Host-canvas-facebook-login', secure: true }
    : { name: 'canvas-facebook-login', secure: false };

/** Set-Cookie for a login's binding: HttpOnly, and Lax so Meta's top-level redirect back still carries it. */
export function setBindingCookie(cookie: BindingCookie, secret: string, maxAgeSeconds: number): string {
  return [
    `${cookie.name}=${secret}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(cookie.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Set-Cookie that removes the binding once the callback has used it. */
export const clearBindingCookie = (cookie: BindingCookie): string => setBindingCookie(cookie, '', 0);

/** The binding secret the request's Cookie header carries, if any. */
export function readBindingCookie(cookie: BindingCookie, header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === cookie.name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** True when the presented secret hashes to the stored hash; compared in constant time. */
export function secretMatches(presented: string | undefined, storedHash: string | null): boolean {
  if (presented === undefined || storedHash === null) return false;
  const a = Buffer.from(hashSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
