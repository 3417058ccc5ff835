/**
 * RFC 9728 protected-resource metadata: where a client that was refused at
 * /mcp learns which authorization server links accounts for it and with
 * which scope. Served at the root and at the path-aware location for /mcp
 * (ChatGPT asks for the latter). Public and cacheable for an hour.
 */
import { Controller, Get, Header } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ACCOUNT_READ } from './oauth-provider.js';

export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_name: string;
}

@Controller('.well-known')
export class WellKnownController {
  private readonly metadata: ProtectedResourceMetadata;

  constructor(config: AppConfig) {
    this.metadata = {
      resource: config.mcpUrl,
      authorization_servers: [config.publicUrl],
      scopes_supported: [ACCOUNT_READ],
      bearer_methods_supported: ['header'],
      resource_name: 'Target',
    };
  }

  @Get(['oauth-protected-resource', 'oauth-protected-resource/mcp'])
  @Header('cache-control', 'public, max-age=3600')
  @Header('access-control-allow-origin', '*')
  protectedResource(): ProtectedResourceMetadata {
    return this.metadata;
  }
}
