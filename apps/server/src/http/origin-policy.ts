import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/**
 * The Origin allow-list: exact origins, or `scheme://*.domain` patterns for host
 * sandboxes (each widget gets its own subdomain). Used by the Origin check and CORS.
 */
@Injectable()
export class OriginPolicy {
  private readonly exact = new Set<string>();
  private readonly suffixes: { scheme: string; suffix: string }[] = [];

  /** Entries come from the config already lower-cased and without a trailing slash. */
  constructor(config: AppConfig) {
    for (const entry of config.allowedOrigins) {
      const wildcard = /^(https?):\/\/\*(\.[a-z0-9.-]+)$/i.exec(entry);
      if (wildcard) this.suffixes.push({ scheme: `${wildcard[1]}:`, suffix: wildcard[2]! });
      else this.exact.add(entry);
    }
  }

  allows(origin: string): boolean {
    const normalized = origin.toLowerCase();
    if (this.exact.has(normalized)) return true;
    let url: URL;
    try {
      url = new URL(normalized);
    } catch {
      return false;
    }
    if (url.origin !== normalized) return false;
    return this.suffixes.some(({ scheme, suffix }) => url.protocol === scheme && url.hostname.endsWith(suffix));
  }
}
