/**
 * The redirect URIs a client may register or declare (OAuth 2.1 §2.3.1,
 * RFC 8252 §7, the MCP authorization spec): https; http only to a loopback
 * host (any port); a private-use scheme only in reverse-domain form (with a
 * period, RFC 8252 §7.1); never a wildcard, fragment or userinfo.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** What is wrong with one redirect URI, in words that follow "redirect_uris", or undefined when it is allowed. */
export function redirectUriProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be strings';
  if (value.includes('*')) return 'must not contain wildcards';
  if (value.includes('#')) return 'must not contain fragments';
  const uri = URL.parse(value);
  if (!uri) return 'must be absolute URIs';
  if (uri.username !== '' || uri.password !== '') return 'must not contain user information';
  switch (uri.protocol) {
    case 'https:':
      // The URL parser gives every https URI a host (https:///cb is https://cb/).
      return undefined;
    case 'http:':
      return LOOPBACK_HOSTS.has(uri.hostname) ? undefined : 'may use http only for a loopback host (127.0.0.1, [::1] or localhost)';
    default:
      // A private-use scheme for a native app: reverse-domain, such as com.example.app:/callback.
      return uri.protocol.includes('.') ? undefined : 'must be https, http on loopback, or a reverse-domain private-use scheme (com.example.app:/…)';
  }
}
