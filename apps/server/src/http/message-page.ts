/**
 * A page of our own with one message, for a browser that arrives outside the
 * sign-in screens: a sign-in link that does not work, or the end of an
 * upstream sign-in. Text only (escaped), no script, served with headers that
 * forbid framing and referrers.
 */
export interface PageMessage {
  title: string;
  heading: string;
  paragraphs: string[];
  /** A way on, e.g. back to the sign-in page. */
  next?: { href: string; text: string };
}

export const MESSAGE_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function messagePage({ title, heading, paragraphs, next }: PageMessage): string {
  const body = paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('') + (next ? `<p><a href="${escapeHtml(next.href)}">${escapeHtml(next.text)}</a></p>` : '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}h1{font-size:1.25rem}</style></head><body><h1>${escapeHtml(heading)}</h1>${body}</body></html>`;
}

/** What a person sees when a request cannot go back to the app that made it (a bad client or redirect URI). */
export function errorPage(message: string): string {
  return messagePage({
    title: 'Sign-in problem',
    heading: 'This sign-in link does not work',
    paragraphs: [message, 'Go back to the app and start linking your Target account again.'],
  });
}
