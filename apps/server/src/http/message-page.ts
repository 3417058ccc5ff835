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
  /** One field to post back (the start page's code); its page is served with `formPageHeaders`. */
  form?: PageForm;
  /** Said before everything else, as an alert (a wrong code). */
  alert?: string;
}

/** A form of text fields that posts to the page's own URL. */
export interface PageForm {
  fields: PageField[];
  button: string;
  /** A word under the fields. */
  hint?: string;
}

export interface PageField {
  label: string;
  name: string;
  /** `code` for a short code typed in capitals (no autocomplete); else the `autocomplete` token, e.g. `name`, `email`. */
  kind: 'code' | 'name' | 'email';
  value?: string;
}

export const MESSAGE_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;

/**
 * The headers for a page with a form: it may post to this server, and the
 * answer may send the browser on to `continueTo` (an origin). Referrers go to
 * this server only: under `no-referrer` a browser sends `Origin: null` with
 * the post, and the post is checked by its Origin.
 */
export function formPageHeaders(continueTo: string): Record<string, string> {
  return {
    ...MESSAGE_PAGE_HEADERS,
    'content-security-policy': MESSAGE_PAGE_HEADERS['content-security-policy'].replace("form-action 'none'", `form-action 'self' ${continueTo}`),
    'referrer-policy': 'same-origin',
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}h1{font-size:1.25rem}' +
  'label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;margin:.25rem 0}input.code{font-size:1.25rem;letter-spacing:.1em;text-transform:uppercase}' +
  'button{font:inherit;font-weight:600;padding:.6rem 1.2rem;margin-top:.75rem;border:0;border-radius:6px;background:#cc0000;color:#fff;cursor:pointer}' +
  '[role=alert]{color:#b00020;font-weight:600}@media (prefers-color-scheme:dark){[role=alert]{color:#ff8a80}}';

export function messagePage({ title, heading, paragraphs, next, form, alert }: PageMessage): string {
  const body =
    (alert ? `<p role="alert">${escapeHtml(alert)}</p>` : '') +
    paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('') +
    (form ? formHtml(form) : '') +
    (next ? `<p><a href="${escapeHtml(next.href)}">${escapeHtml(next.text)}</a></p>` : '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(heading)}</h1>${body}</main></body></html>`;
}

function formHtml({ fields, button, hint }: PageForm): string {
  const described = hint ? ' aria-describedby="hint"' : '';
  const inputs = fields.map(({ label, name, kind, value }, index) => {
    const id = `field-${index}`;
    const attributes =
      kind === 'code'
        ? 'class="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32"'
        : `type="${kind === 'email' ? 'email' : 'text'}" autocomplete="${kind}" maxlength="254"`;
    const filled = value === undefined ? '' : ` value="${escapeHtml(value)}"`;
    return `<label for="${id}">${escapeHtml(label)}</label><input id="${id}" name="${escapeHtml(name)}" required ${attributes}${filled}${described}${index === 0 ? ' autofocus' : ''}>`;
  });
  return `<form method="post">${inputs.join('')}${hint ? `<p id="hint">${escapeHtml(hint)}</p>` : ''}<button type="submit">${escapeHtml(button)}</button></form>`;
}

/** What a person sees when a request cannot go back to the app that made it (a bad client or redirect URI). */
export function errorPage(message: string): string {
  return messagePage({
    title: 'Sign-in problem',
    heading: 'This sign-in link does not work',
    paragraphs: [message, 'Go back to the app and start linking your Target account again.'],
  });
}
