import { createApp, loadConfig, SessionService } from './dist/app.js';
import { McpServerFactory } from './dist/mcp/mcp-server.factory.js';
import { createMcpHandler } from '@modelcontextprotocol/server';
const app = await createApp(loadConfig({ PORT: '0', LOG_LEVEL: 'error' }));
await app.init();
const factory = app.get(McpServerFactory);
const { sessionId } = await app.get(SessionService).create();
const handler = createMcpHandler((ctx) => factory.create(ctx));
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', host: '127.0.0.1:3000' };
const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'w', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
const modernHeaders = { ...headers, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'get-target-auth-status' };
const body = (i) => ({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'get-target-auth-status', arguments: { sessionId }, ...(process.env.MODERN ? { _meta: meta } : {}) } });
for (let i = 0; i < 30000; i++) { const r = await handler.fetch(new Request('http://127.0.0.1:3000/mcp', { method: 'POST', headers: process.env.MODERN ? modernHeaders : headers }), { parsedBody: body(i) }); await r.text(); }
await app.close();
