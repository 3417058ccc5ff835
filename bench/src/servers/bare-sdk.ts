/**
 * Baseline "bare SDK, stateless": the seed's three tools (seed-tools.ts) on
 * @modelcontextprotocol/sdk 1.x + Express, a new server and transport per
 * request, JSON responses, no framework. Prints one JSON line: { port, sessionId }.
 */
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { registerSeedTools, seedSessions } from './seed-tools.js';

const sessionId = seedSessions(Number(process.argv[2] ?? 0));

const app = express();
app.use(express.json());
app.post('/mcp', async (req, res) => {
  const server = new McpServer({ name: 'bare-sdk', version: '1.0.0' });
  registerSeedTools(server);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
const listener = app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (listener.address() as AddressInfo).port, sessionId }));
});

process.once('SIGINT', () => process.exit(0));
