import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ToolsModule } from '../tools/tools.module.js';
import { WidgetModule } from '../widget/widget.module.js';
import { HttpModule } from '../http/http.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { McpFastEntry } from './mcp-fast-entry.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { McpController } from './mcp.controller.js';
import { SseRouter } from './sse-router.js';
import { SseStreamsService } from './sse-streams.service.js';
import { StreamableHttpService } from './streamable-http.service.js';
import { ToolRegistry } from './tool-registry.js';

@Module({
  imports: [DiscoveryModule, HttpModule, OAuthModule, ToolsModule, WidgetModule],
  controllers: [McpController],
  providers: [ToolRegistry, McpServerFactory, StreamableHttpService, SseStreamsService, SseRouter, McpFastEntry],
})
export class McpModule {}
