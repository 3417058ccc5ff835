/**
 * The hosted sign-in page: the widget's second entry (apps/widget/hosted.html),
 * one self-contained file, served as is under a Content-Security-Policy that
 * allows exactly its inline script(s) by hash, talks only to this origin and
 * cannot be framed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export function defaultHostedPagePath(): string {
  return createRequire(import.meta.url).resolve('@target-auth/widget/hosted-html');
}

export class HostedPage {
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(path: string) {
    try {
      this.html = readFileSync(path, 'utf8');
    } catch {
      throw new Error(`Hosted sign-in page not found at ${path}: build it first (pnpm build)`);
    }
    const scripts = [...this.html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => hash(match[1]!));
    this.headers = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': [
        "default-src 'none'",
        `script-src ${scripts.join(' ')}`,
        // React sets style attributes; styles cannot run code.
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    };
  }
}

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
