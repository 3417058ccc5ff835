/**
 * The small `application/x-www-form-urlencoded` forms of our own pages (the
 * start page's code, the demo provider's name and e-mail): read with a size
 * limit, and accepted only when posted by a page of this very origin.
 */
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

/** A form too long, or not a form: its status and words for the page. */
export class FormBodyError extends Error {
  override name = 'FormBodyError';

  constructor(
    readonly status: 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** The form's fields; a body over `limit` bytes is a 413, another content type a 415. */
export async function readForm(req: IncomingMessage, limit: number): Promise<URLSearchParams> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') throw new FormBodyError(415, 'This page takes its own form only.');
  try {
    return new URLSearchParams(await getRawBody(req, { limit, encoding: 'utf8' }));
  } catch {
    throw new FormBodyError(413, 'That was more than this form takes.');
  }
}

/**
 * Whether a post comes from a page of `origin`: its Origin says so, or (a
 * browser that sends none) Fetch Metadata does. A page posting its form must
 * not be served with `Referrer-Policy: no-referrer`, under which browsers send
 * `Origin: null`.
 */
export function postedFrom(req: IncomingMessage, origin: string): boolean {
  const sent = req.headers.origin;
  if (sent !== undefined) return sent === origin;
  return req.headers['sec-fetch-site'] === 'same-origin';
}
