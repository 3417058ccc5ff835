/**
 * How the consent screen names the app asking for an account: by who receives
 * the code, never by what the app says of itself (`client_uri`, `logo_uri`).
 * A host's own name (ChatGPT, Claude) only for that host's documented
 * callback URIs (../shared/reference/hosts.md §8); else the host of the app's
 * metadata document; else the name it registered itself under, marked
 * unverified. The redirect URI's host is always shown.
 */
import type { LinkingClient } from '@target-auth/shared/linking';

/** Documented callbacks of hosts people know by name. */
const KNOWN_CALLBACKS: { name: string; matches: (uri: URL) => boolean }[] = [
  {
    name: 'ChatGPT',
    matches: (uri) =>
      uri.origin === 'https://chatgpt.com' && (/^\/connector\/oauth\/[A-Za-z0-9_-]+$/.test(uri.pathname) || uri.pathname === '/connector_platform_oauth_redirect'),
  },
  { name: 'Claude', matches: (uri) => uri.origin === 'https://claude.ai' && uri.pathname === '/api/mcp/auth_callback' },
];

export function clientIdentity(input: { clientId: string; redirectUri: string; registeredName?: string | undefined }): LinkingClient {
  const redirect = URL.parse(input.redirectUri);
  const redirectHost = redirect === null ? input.redirectUri : redirect.host || redirect.protocol.slice(0, -1);
  const known = redirect && redirect.search === '' && redirect.hash === '' ? KNOWN_CALLBACKS.find((host) => host.matches(redirect)) : undefined;
  if (known) return { name: known.name, verified: true, redirectHost };
  const document = input.clientId.startsWith('https://') ? URL.parse(input.clientId) : null;
  if (document) return { name: document.host, verified: true, redirectHost };
  return { name: input.registeredName?.trim() || 'An app', verified: false, redirectHost };
}
