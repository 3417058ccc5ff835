/**
 * Baseline "bare SDK, stateful": the strongest bare 1.x configuration. One
 * McpServer + StreamableHTTPServerTransport per MCP session, reused for every
 * call of that session (no per-request construction), JSON responses. The
 * script initializes one MCP session against itself and prints
 * { port, sessionId, mcpSessionId, protocolVersion } for wrk to reuse.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { registerSeedTools, seedSessions } from './seed-tools.js';

const sessionId = seedSessions(Number(process.argv[2] ?? 0));
const transports = new Map<string, StreamableHTTPServerTransport>();

const app = express();
app.use(express.json());
app.post('/mcp', async (req, res) => {
  const id = req.headers['mcp-session-id'];
  let transport = typeof id === 'string' ? transports.get(id) : undefined;
  if (!transport) {
    const server = new McpServer({ name: 'bare-sdk-stateful', version: '1.0.0' });
    registerSeedTools(server);
    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: true,
      onsessioninitialized: (newId) => void transports.set(newId, created),
    });
    await server.connect(created);
    transport = created;
  }
  await transport.handleRequest(req, res, req.body);
});

const listener = app.listen(0, '127.0.0.1', () => void announce((listener.address() as AddressInfo).port));

async function announce(port: number): Promise<void> {
  const protocolVersion = '2025-11-25';
  const init = await fetch(`http://127.0.0.1:${port}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }),
  });
  const mcpSessionId = init.headers.get('mcp-session-id');
  await init.text();
  console.log(JSON.stringify({ port, sessionId, mcpSessionId, protocolVersion }));
}

process.once('SIGINT', () => process.exit(0));
