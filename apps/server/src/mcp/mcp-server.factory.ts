/**
 * Builds a fresh MCP `Server` for each request (Streamable HTTP) or stream
 * (SSE): one instance is never shared between clients. The SDK dispatches;
 * this file only registers the four handlers we serve (tools and the widget
 * resource) on its low-level `Server`. The listings are computed once per
 * widget build: an `McpServer` would re-register every tool and re-derive its
 * JSON Schema on every request (measured: ~90 µs; docs/benchmarks.md).
 */
import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import {
  type CallToolResult,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  Server,
  type Tool,
} from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { type McpToolProvider, NOAUTH, type ToolContext } from '../tools/mcp-tool.js';
import { runStep } from '../tools/tool-results.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { WidgetResource, WIDGET_MIME_TYPE } from '../widget/widget.resource.js';
import { parseToolArgs } from './tool-input.js';
import { ToolRegistry } from './tool-registry.js';

/** This server as MCP clients and GET / name it; the version is the package's own. */
export const SERVER_INFO = { name: 'target-auth', title: 'Target sign-in', version: packageVersion() };

const INSTRUCTIONS =
  'To sign the user in to Target: call create-target-session, then authenticate-target with its sessionId. ' +
  'The user types credentials into the widget, never into the chat. Use get-target-auth-status to check.';

const EMPTY_INPUT = { type: 'object' as const, properties: {} };

interface Catalog {
  tools: Tool[];
  byName: Map<string, McpToolProvider>;
  /** The widget build the listing names. */
  widgetVersion: number;
}

@Injectable()
export class McpServerFactory {
  /** Built once: each server would otherwise compile its own Ajv instance. */
  private readonly validator = new AjvJsonSchemaValidator();
  private catalog: Catalog | undefined;

  constructor(
    private readonly registry: ToolRegistry,
    private readonly widget: WidgetResource,
    private readonly metrics: MetricsService,
  ) {}

  /** A server for one exchange (Streamable HTTP) or one stream (SSE) of the given era. */
  create(era: ToolContext['era'] = 'legacy'): Server {
    if (this.catalog?.widgetVersion !== this.widget.version) this.catalog = this.buildCatalog();
    const { tools, byName } = this.catalog;
    const server = new Server(SERVER_INFO, {
      capabilities: { tools: {}, resources: {} },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: this.validator,
    });
    server.setRequestHandler('tools/list', () => ({ tools }));
    server.setRequestHandler('tools/call', ({ params }, ctx) => {
      const tool = byName.get(params.name);
      if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${params.name} not found`);
      const done = this.metrics.toolDuration.startTimer({ tool: tool.name });
      // The verified token travels with each message: the exchange's on Streamable HTTP, each POST's on SSE.
      const authInfo = ctx.http?.authInfo;
      return call(tool, params.arguments, { era, ...(authInfo && { authInfo }) }).finally(done);
    });
    const { widget } = this;
    const contents = [{ uri: widget.uri, mimeType: WIDGET_MIME_TYPE, text: widget.html, _meta: widget.contentMeta }];
    const listing = widget.listing;
    server.setRequestHandler('resources/list', () => ({ resources: [listing] }));
    server.setRequestHandler('resources/read', ({ params }) => {
      // Revision 2026-07-28 puts "not found" at -32602 with `data.uri`; the SDK
      // encodes it so for every era (2025 clients accept it as well as -32002).
      if (params.uri !== contents[0]!.uri) throw new ResourceNotFoundError(params.uri);
      return { contents };
    });
    return server;
  }

  private buildCatalog(): Catalog {
    const tools = this.registry.tools.map(({ name, descriptor }): Tool => {
      const { inputSchema, securitySchemes = NOAUTH, _meta, ...rest } = descriptor;
      const json = inputSchema ? inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) : EMPTY_INPUT;
      // `securitySchemes` is not in the SDK's Tool type yet; hosts read it at the top level and in `_meta`.
      return { name, ...rest, inputSchema: json as Tool['inputSchema'], securitySchemes, _meta: { ..._meta, securitySchemes } } as Tool;
    });
    return { tools, byName: new Map(this.registry.tools.map((tool) => [tool.name, tool])), widgetVersion: this.widget.version };
  }
}

/** Checks the arguments (ours, not the SDK's: see tool-input.ts) and runs the tool; refusals become `isError` results. */
function call(tool: McpToolProvider, args: unknown, context: ToolContext): Promise<CallToolResult> {
  const schema = tool.descriptor.inputSchema;
  return runStep(() => tool.handle((schema ? parseToolArgs(schema, args) : {}), context));
}

/** apps/server/package.json's version, from src/ (specs) and dist/ alike: both are two levels below it. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
