/** Boots the real app on a free port and connects SDK clients to it, for the e2e specs. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createApp } from '../src/app.js';
import { testConfig } from '../src/testing/fakes.js';
import { closeLater } from '../src/testing/leftovers.js';

export interface Running {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<Running> {
  const app = await createApp(testConfig({ PORT: '0', ...env }));
  // Closed once however often asked (a test that closed it, then the teardown), and after the file if a failed test did not.
  const close = closeLater(() => app.close());
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return { app, baseUrl, close };
}

export type TransportKind = 'streamable' | 'sse' | 'sse at /sse';

export async function connect(baseUrl: string, kind: TransportKind = 'streamable'): Promise<Client> {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  if (kind === 'streamable') await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', baseUrl)));
  else await client.connect(new SSEClientTransport(new URL(kind === 'sse' ? '/mcp' : '/sse', baseUrl)));
  return client;
}

/** A v2 SDK client; `auto` probes `server/discover` (revision 2026-07-28), the default speaks 2025-11-25. */
export async function connectV2(baseUrl: string, mode: 'auto' | 'default' = 'auto'): Promise<ModernClient> {
  const client = new ModernClient({ name: 'e2e-v2', version: '1.0.0' }, mode === 'auto' ? { versionNegotiation: { mode: 'auto' } } : {});
  await client.connect(new ModernTransport(new URL('/mcp', baseUrl)));
  return client;
}

export async function call(client: Client | ModernClient, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export const text = (result: CallToolResult): string =>
  result.content.map((item) => (item.type === 'text' ? item.text : '')).join('');

export { MCP_ACCEPT, raw, type RawResponse, rpc } from '../src/testing/http.js';

