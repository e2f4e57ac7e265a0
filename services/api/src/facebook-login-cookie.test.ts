import { describe, expect, it } from '@jest/globals';
import {
  bindingCookie,
  clearBindingCookie,
  hashSecret,
  readBindingCookie,
  secretMatches,
  setBindingCookie,
} from './facebook-login-cookie.js';

describe('the Facebook Login binding cookie', () => {
  it('is a __Host- cookie behind https and a plain one on a local http callback', () => {
    const https = bindingCookie('https://canvas.example.com/v1/facebook-login/callback');
    expect(setBindingCookie(https, 's3cret', 1800)).toBe(
      '__Host-canvas-facebook-login=s3cret; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax; Secure',
    );
    const http = bindingCookie('http://127.0.0.1:8080/v1/facebook-login/callback');
    expect(clearBindingCookie(http)).toBe('canvas-facebook-login=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
  });

  it.each([
    ['a=1; canvas-facebook-login=abc; b=2', 'abc'],
    ['canvas-facebook-login=', undefined],
    ['xcanvas-facebook-login=abc', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (header, expected) => {
    expect(readBindingCookie(bindingCookie('http://127.0.0.1/cb'), header)).toBe(expected);
  });

  it('matches only the secret whose hash is stored', () => {
    expect(secretMatches('abc', hashSecret('abc'))).toBe(true);
    expect(secretMatches('abd', hashSecret('abc'))).toBe(false);
    expect(secretMatches(undefined, hashSecret('abc'))).toBe(false);
    expect(secretMatches('abc', null)).toBe(false);
  });
});
