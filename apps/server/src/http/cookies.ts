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
