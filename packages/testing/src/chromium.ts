/**
 * How the end-to-end runs and the widget benchmark launch Chromium. Nothing is
 * downloaded: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else
 * Playwright's own browser where it is installed.
 */
import { existsSync } from 'node:fs';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

export function chromiumLaunchOptions(): { executablePath?: string; args: string[] } {
  const executablePath = process.env['CHROMIUM_PATH'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  return { ...(executablePath && { executablePath }), args: [...ARGS] };
}
