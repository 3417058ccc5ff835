/**
 * DNS-rebinding and cross-site protection for every MCP and API route: the Host
 * header must name an allowed host, and an Origin, when a browser sends one,
 * must be on the allow-list. Both refusals are 403. As a Nest guard its
 * refusal is answered in the shape of the controller it protects; the MCP fast
 * entry (../mcp/mcp-fast-entry.ts), which runs before Nest, calls `check`.
 */
import type { IncomingMessage } from 'node:http';
import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { OriginPolicy } from './origin-policy.js';

@Injectable()
export class RequestGuard implements CanActivate {
  private readonly hosts: ReadonlySet<string>;

  constructor(
    config: AppConfig,
    private readonly origins: OriginPolicy,
  ) {
    this.hosts = new Set(config.allowedHosts.map((host) => host.toLowerCase()));
  }

  canActivate(context: ExecutionContext): boolean {
    this.check(context.switchToHttp().getRequest<IncomingMessage>());
    return true;
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
