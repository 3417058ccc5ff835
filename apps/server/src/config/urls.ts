/** URL helpers for the configuration and its log lines. */

/** A URL fit for a log line: its user name and password replaced (`redis://***@host:6379/15`). */
export function redactedUrl(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return '(unreadable URL)';
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = '***';
    parsed.password = '';
  }
  return parsed.href.replace(/\/$/, '');
}

/**
 * This server's own origins: PUBLIC_URL's; without one, the local address under each loopback spelling
 * (a page served by this server, or a local tool, may reach it as localhost, 127.0.0.1 or [::1]).
 */
export function ownOrigins(given: string | undefined, publicUrl: URL, port: number): string[] {
  if (given !== undefined) return [publicUrl.origin];
  return ['localhost', '127.0.0.1', '[::1]'].map((host) => `http://${host}:${port}`);
}

export const unique = (items: string[]): string[] => [...new Set(items.map((item) => item.toLowerCase().replace(/\/$/, '')))];
