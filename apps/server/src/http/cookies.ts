/** Reading the request's cookies (ours are few and small: no library needed for a split). */
import type { IncomingMessage } from 'node:http';

/** One cookie's value from the request; undefined when absent or empty. */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || undefined;
  }
  return undefined;
}

/** How long and where a cookie we set applies. */
export interface CookieScope {
  path: string;
  /** 0 clears it. */
  maxAgeSeconds: number;
  sameSite: 'Strict' | 'Lax';
  /** Sent over HTTPS only: set when PUBLIC_URL is https. */
  secure: boolean;
}

/** A `Set-Cookie` value for one of our cookies: always HttpOnly, never read by script. */
export function setCookie(name: string, value: string, { path, maxAgeSeconds, sameSite, secure }: CookieScope): string {
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=${sameSite}${secure ? '; Secure' : ''}`;
}
