/**
 * The hosted sign-in page: the widget's second entry (apps/widget/hosted.html),
 * one self-contained file, served as is under a Content-Security-Policy that
 * allows exactly its inline script(s) by hash, talks only to this origin and
 * cannot be framed. A rebuild (`pnpm dev`) is served at once, with its own hashes.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { OnModuleDestroy } from '@nestjs/common';
import { BuiltFile } from '../common/built-file.js';

export function defaultHostedPagePath(): string {
  return createRequire(import.meta.url).resolve('@target-auth/widget/hosted-html');
}

interface Page {
  html: string;
  headers: Readonly<Record<string, string>>;
}

export class HostedPage implements OnModuleDestroy {
  private readonly file: BuiltFile<Page>;

  constructor(path: string, label = 'Hosted sign-in page') {
    this.file = new BuiltFile(path, toPage, label);
  }

  get html(): string {
    return this.file.value.html;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.file.value.headers;
  }

  onModuleDestroy(): void {
    this.file.close();
  }
}

function toPage(html: string): Page {
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => hash(match[1]!));
  const headers = {
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
  return { html, headers };
}

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
