/**
 * Builds a fresh `McpServer` for each request (Streamable HTTP) or stream (SSE):
 * one instance is never shared between clients. Tools come from the registry,
 * the widget from WidgetResource.
 */
import { Injectable } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { WidgetResource, WIDGET_MIME_TYPE } from '../widget/widget.resource.js';
import { ToolRegistry } from './tool-registry.js';

export const SERVER_INFO = { name: 'target-auth', title: 'Target sign-in', version: '0.1.0' };

@Injectable()
export class McpServerFactory {
  /** Built once: each server would otherwise compile its own Ajv instance (measured: ~20% of a request). */
  private readonly validator = new AjvJsonSchemaValidator();

  constructor(
    private readonly registry: ToolRegistry,
    private readonly widget: WidgetResource,
  ) {}

  create(): McpServer {
    const server = new McpServer(SERVER_INFO, {
      jsonSchemaValidator: this.validator,
      instructions:
        'To sign the user in to Target: call create-target-session, then authenticate-target with its sessionId. ' +
        'The user types credentials into the widget, never into the chat. Use get-target-auth-status to check.',
    });
    for (const tool of this.registry.tools) {
      server.registerTool(tool.name, tool.descriptor, (args: unknown) => tool.handle(args as never));
    }
    const { widget } = this;
    server.registerResource(
      widget.name,
      widget.uri,
      { title: 'Target sign-in', description: widget.description, mimeType: WIDGET_MIME_TYPE, _meta: widget.contentMeta },
      async () => ({
        contents: [{ uri: widget.uri, mimeType: WIDGET_MIME_TYPE, text: widget.html, _meta: widget.contentMeta }],
      }),
    );
    return server;
  }
}
