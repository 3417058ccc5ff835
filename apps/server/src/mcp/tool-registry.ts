import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { MCP_TOOL, type McpToolProvider } from '../tools/mcp-tool.js';

/** Collects every `@McpTool()` provider once, at start. */
@Injectable()
export class ToolRegistry implements OnModuleInit {
  private found: McpToolProvider[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.found = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance && this.reflector.get(MCP_TOOL, wrapper.metatype))
      .map((wrapper) => wrapper.instance as McpToolProvider);
    const names = new Set(this.found.map((tool) => tool.name));
    if (names.size !== this.found.length) throw new Error('Two MCP tools share a name');
  }

  get tools(): readonly McpToolProvider[] {
    return this.found;
  }
}
