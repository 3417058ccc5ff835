/**
 * DNS-rebinding and cross-site protection for every MCP and API route: the Host
 * header must name an allowed host, and an Origin, when a browser sends one,
 * must be on the allow-list. Both refusals are 403. `check` is also called by
 * the MCP fast entry (../mcp/mcp-fast-entry.ts), which runs before Express.
 */
import type { IncomingMessage } from 'node:http';
import { ForbiddenException, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { OriginPolicy } from './origin-policy.js';

@Injectable()
export class RequestGuardMiddleware implements NestMiddleware {
  private readonly hosts: ReadonlySet<string>;

  constructor(
    config: AppConfig,
    private readonly origins: OriginPolicy,
  ) {
    this.hosts = new Set(config.allowedHosts.map((host) => host.toLowerCase()));
  }

  use(req: Request, _res: Response, next: NextFunction): void {
    this.check(req);
    next();
  }

  /** Throws a 403 for a Host or Origin that is not allowed. */
  check(req: IncomingMessage): void {
    const host = hostname(req.headers.host);
    if (host === null || !this.hosts.has(host)) throw new ForbiddenException('Forbidden: Host header is not allowed');
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.allows(origin)) {
      throw new ForbiddenException('Forbidden: Origin is not allowed');
    }
  }
}

function hostname(header: string | undefined): string | null {
  if (!header) return null;
  try {
    return new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}
