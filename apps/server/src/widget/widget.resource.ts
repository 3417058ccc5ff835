/**
 * The sign-in widget as an MCP Apps resource: the single HTML file built by
 * apps/widget, read once at start and never templated. Its URI carries a
 * content hash so hosts that cache by URI pick up a new build.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Injectable } from '@nestjs/common';

export const WIDGET_MIME_TYPE = 'text/html;profile=mcp-app';

/** Finds the built widget; the workspace dependency makes it resolvable. */
export function defaultWidgetPath(): string {
  return createRequire(import.meta.url).resolve('@target-auth/widget/html');
}

@Injectable()
export class WidgetResource {
  readonly html: string;
  readonly uri: string;
  readonly name = 'target-auth-widget';
  readonly description = 'Target sign-in: email and password, 6-digit code, success.';

  constructor(path: string) {
    try {
      this.html = readFileSync(path, 'utf8');
    } catch {
      throw new Error(`Widget HTML not found at ${path}: build it first (pnpm build)`);
    }
    const hash = createHash('sha256').update(this.html).digest('hex').slice(0, 12);
    this.uri = `ui://widget/target-auth-${hash}.html`;
  }

  /** The entry in `resources/list`. */
  get listing() {
    return { uri: this.uri, name: this.name, title: 'Target sign-in', description: this.description, mimeType: WIDGET_MIME_TYPE, _meta: this.contentMeta };
  }

  /** `_meta` of the resource content, for MCP Apps hosts and ChatGPT. The widget fetches nothing itself. */
  readonly contentMeta: Record<string, unknown> = {
    ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true },
    'openai/widgetCSP': { connect_domains: [], resource_domains: [] },
    'openai/widgetDescription': "A sign-in form for the user's Target account. The user types into it directly.",
    'openai/widgetPrefersBorder': true,
  };
}
