/**
 * The sign-in widget as an MCP Apps resource: the single HTML file built by
 * apps/widget, never templated. Its URI carries a content hash so hosts that
 * cache by URI pick up a new build. The file is watched: a rebuild (`pnpm dev`
 * rebuilds it on every widget edit) is served at once under its new URI, and a
 * rewrite with the same content changes nothing.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { BuiltFile } from '../common/built-file.js';

export const WIDGET_MIME_TYPE = 'text/html;profile=mcp-app';

/** Finds the built widget; the workspace dependency makes it resolvable. */
export function defaultWidgetPath(): string {
  return createRequire(import.meta.url).resolve('@target-auth/widget/html');
}

interface Build {
  html: string;
  uri: string;
}

@Injectable()
export class WidgetResource implements OnModuleDestroy {
  readonly name = 'target-auth-widget';
  readonly description = 'Target sign-in: email and password, 6-digit code, success.';
  /** Goes up with every new build, so whatever lists the URI can tell its copy is stale. */
  version = 0;

  private readonly file: BuiltFile<Build>;
  private readonly logger = new Logger('Widget');

  /**
   * `_meta` of the resource content, for MCP Apps hosts and ChatGPT. The
   * widget fetches nothing itself; it may ask the host to open a page of
   * `linkOrigin` (an upstream sign-in's start link).
   */
  readonly contentMeta: Record<string, unknown>;

  constructor(path: string, linkOrigin?: string) {
    const redirect = linkOrigin === undefined ? {} : { redirect_domains: [linkOrigin] };
    this.contentMeta = {
      ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true },
      'openai/widgetCSP': { connect_domains: [], resource_domains: [], ...redirect },
      'openai/widgetDescription': "A sign-in form for the user's Target account. The user types into it directly.",
      'openai/widgetPrefersBorder': true,
    };
    let served: string | undefined;
    this.file = new BuiltFile(path, toBuild, 'Widget HTML', (build) => {
      // A rewrite with the same content is not a new build.
      if (build.uri === served) return;
      served = build.uri;
      this.version++;
      this.logger.log(`Widget rebuilt: now served as ${build.uri}`);
    });
    served = this.file.value.uri;
  }

  get html(): string {
    return this.file.value.html;
  }

  get uri(): string {
    return this.file.value.uri;
  }

  /** The entry in `resources/list`. */
  get listing() {
    return { uri: this.uri, name: this.name, title: 'Target sign-in', description: this.description, mimeType: WIDGET_MIME_TYPE, _meta: this.contentMeta };
  }

  /** Reads the file again now (the watcher does it by itself after a change). */
  reload(): void {
    this.file.reload();
  }

  onModuleDestroy(): void {
    this.file.close();
  }
}

function toBuild(html: string): Build {
  const hash = createHash('sha256').update(html).digest('hex').slice(0, 12);
  return { html, uri: `ui://widget/target-auth-${hash}.html` };
}
