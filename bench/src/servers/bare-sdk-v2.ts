/**
 * Baseline "bare SDK v2": the seed's three tools served the way the v2 SDK's
 * docs serve: `createMcpHandler` (a fresh server per request, both eras) behind
 * `createMcpExpressApp` and `toNodeHandler`. Prints { port, sessionId }.
 */
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { registerSeedTools, seedSessions } from './seed-tools.js';

const sessionId = seedSessions(Number(process.argv[2] ?? 0));

const handler = createMcpHandler(() => {
  const server = new McpServer({ name: 'bare-sdk-v2', version: '1.0.0' });
  registerSeedTools(server);
  return server;
});
const node = toNodeHandler(handler);
const app = createMcpExpressApp();
app.all('/mcp', (req, res) => void node(req, res, req.body));
const listener = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (listener.address() as AddressInfo).port, sessionId }));
});

process.once('SIGINT', () => process.exit(0));
