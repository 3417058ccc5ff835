/**
 * Baseline "bare SDK": the seed's three tools written directly on
 * @modelcontextprotocol/sdk + Express with an in-memory Map, stateless
 * Streamable HTTP with JSON responses, no framework (as the seed designs it).
 * Prints one JSON line: { port, sessionId }.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { z } from 'zod';

interface AuthSession {
  authenticated: boolean;
  email: string | null;
  name: string | null;
  createdAt: number;
}

const TTL = 600_000;
const authSessions = new Map<string, AuthSession>();
const newId = () => `sess_${randomBytes(18).toString('base64url')}`;
const text = (value: string) => [{ type: 'text' as const, text: value }];

function createPizzazServer(): McpServer {
  const server = new McpServer({ name: 'bare-sdk', version: '1.0.0' });
  server.registerTool('create-target-session', { description: 'Create a session' }, async () => {
    const sessionId = newId();
    authSessions.set(sessionId, { authenticated: false, email: null, name: null, createdAt: Date.now() });
    return { structuredContent: { sessionId, message: 'Session created' }, content: text('Session created') };
  });
  server.registerTool(
    'authenticate-target',
    { description: 'Show the sign-in widget', inputSchema: { sessionId: z.string() }, _meta: { 'openai/outputTemplate': 'ui://widget/target-auth.html' } },
    async ({ sessionId }) => {
      const session = authSessions.get(sessionId);
      if (!session) return { content: text('Invalid session'), isError: true };
      return { structuredContent: { sessionId, authenticated: session.authenticated }, content: text('Authentication required') };
    },
  );
  server.registerTool('get-target-auth-status', { description: 'Auth status', inputSchema: { sessionId: z.string() } }, async ({ sessionId }) => {
    const session = authSessions.get(sessionId);
    if (!session) return { content: text('Session not found'), isError: true };
    if (Date.now() - session.createdAt > TTL) return { structuredContent: { authenticated: false, expired: true }, content: text('Your session has expired. Please log in again.') };
    return { structuredContent: { authenticated: session.authenticated, email: session.email, name: session.name }, content: text('ok') };
  });
  return server;
}

setInterval(() => {
  const now = Date.now();
  for (const [id, session] of authSessions) if (now - session.createdAt > TTL) authSessions.delete(id);
}, TTL).unref();

const prefill = Number(process.argv[2] ?? 0);
for (let i = 0; i < prefill; i++) authSessions.set(newId(), { authenticated: false, email: null, name: null, createdAt: Date.now() });
const sessionId = newId();
authSessions.set(sessionId, { authenticated: true, email: 'lauren@example.com', name: 'Lauren Bailey', createdAt: Date.now() });

const app = express();
app.use(express.json());
app.post('/mcp', async (req, res) => {
  const server = createPizzazServer();
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
