/**
 * The sign-in widget as an MCP Apps resource: the single HTML file built by
 * apps/widget, never templated. Its URI carries a content hash so hosts that
 * cache by URI pick up a new build. The file is watched: a rebuild (`pnpm dev`
 * rebuilds it on every widget edit) is served at once under its new URI, and a
 * rewrite with the same content changes nothing.
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';

export const WIDGET_MIME_TYPE = 'text/html;profile=mcp-app';
const SETTLE_MS = 100;

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

  private build: Build;
  private readonly watcher: FSWatcher | undefined;
  private settle: NodeJS.Timeout | undefined;
  private readonly logger = new Logger('Widget');

  constructor(private readonly path: string) {
    const build = read(path);
    if (!build) throw new Error(`Widget HTML not found at ${path}: build it first (pnpm build)`);
    this.build = build;
    // The folder, not the file: a build that empties dist/ first replaces the file's inode.
    const file = basename(path);
    try {
      this.watcher = watch(dirname(path), (_event, changed) => {
        if (changed !== null && changed !== file) return;
        clearTimeout(this.settle);
        this.settle = setTimeout(() => this.reload(), SETTLE_MS);
      });
      this.watcher.unref();
    } catch {
      this.watcher = undefined;
    }
  }

  get html(): string {
    return this.build.html;
  }

  get uri(): string {
    return this.build.uri;
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

  /** Reads the file again; a new content becomes the served build. */
  reload(): void {
    const build = read(this.path);
    if (!build || build.uri === this.build.uri) return;
    this.build = build;
    this.version++;
    this.logger.log(`Widget rebuilt: now served as ${build.uri}`);
  }

  onModuleDestroy(): void {
    clearTimeout(this.settle);
    this.watcher?.close();
  }
}

function read(path: string): Build | undefined {
  let html: string;
  try {
    html = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (html.length === 0) return undefined;
  const hash = createHash('sha256').update(html).digest('hex').slice(0, 12);
  return { html, uri: `ui://widget/target-auth-${hash}.html` };
}
