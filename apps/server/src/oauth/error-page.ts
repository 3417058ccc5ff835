/** What a person sees when a request cannot go back to the app that made it (a bad client or redirect URI). */
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>Sign-in problem</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}h1{font-size:1.25rem}</style></head><body><h1>This sign-in link does not work</h1><p>${escapeHtml(message)}</p><p>Go back to the app and start linking your Target account again.</p></body></html>`;
}
