/**
 * What every tool provider is: a name, the descriptor the SDK registers, and a
 * handler that calls into a service. Mark a class with `@McpTool()` and list it
 * in tools.module.ts; the MCP module discovers it (../mcp/tool-registry.ts) and
 * validates arguments before `handle` runs (../mcp/tool-input.ts).
 */
import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { AuthInfo, CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';

export const MCP_TOOL = Symbol('mcp-tool');

export interface ToolDescriptor<Input extends z.ZodObject | undefined> {
  title: string;
  description: string;
  inputSchema: Input;
  annotations: ToolAnnotations;
  _meta?: Record<string, unknown>;
  /** How a caller must be authorized; omitted means `noauth` (anyone may call). Listed at the top level and in `_meta`. */
  securitySchemes?: SecurityScheme[];
}

/** The tool-level auth declaration ChatGPT and other hosts read (`noauth`, or `oauth2` with scopes). */
export type SecurityScheme = { type: 'noauth' } | { type: 'oauth2'; scopes: string[] };

export const NOAUTH: SecurityScheme[] = [{ type: 'noauth' }];

/**
 * Who calls and how, handed to every tool with its arguments. Identity comes
 * from here (a verified token's `authInfo`), never from arguments.
 */
export interface ToolContext {
  /** `modern` for revision 2026-07-28 requests, `legacy` for the 2025 revisions and SSE. */
  era: 'legacy' | 'modern';
  /** The verified bearer token's information, when the request carried one. */
  authInfo?: AuthInfo;
}

export type ToolArgs<Input extends z.ZodObject | undefined> = Input extends z.ZodObject ? z.infer<Input> : Record<string, never>;

export interface McpToolProvider<Input extends z.ZodObject | undefined = z.ZodObject | undefined> {
  readonly name: string;
  readonly descriptor: ToolDescriptor<Input>;
  handle(args: ToolArgs<Input>, context: ToolContext): Promise<CallToolResult>;
}

/** A sign-in step: it changes the session, is not idempotent and touches nothing outside this server. */
export const STEP_ANNOTATIONS: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

/** Marks a provider as an MCP tool. */
export const McpTool = (): ClassDecorator => applyDecorators(Injectable(), SetMetadata(MCP_TOOL, true));

/**
 * `_meta` for tools only the widget calls: hidden from the model, and no
 * `resourceUri` (hosts such as the MCP Inspector list every tool that has one
 * as an app of its own).
 */
export const appOnlyToolMeta: Record<string, unknown> = {
  ui: { visibility: ['app'] },
  'openai/visibility': 'private',
  'openai/widgetAccessible': true,
};
