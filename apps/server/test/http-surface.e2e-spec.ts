import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { call, connect, MCP_ACCEPT, raw, rpc as rpcMessage, type Running, startServer, text } from './helpers.js';

const rpc = (...args: Parameters<typeof rpcMessage>): string => JSON.stringify(rpcMessage(...args));

describe('HTTP surface and bad input (e2e)', () => {
  let server: Running;

  beforeAll(async () => {
    server = await startServer({ MAX_BODY_BYTES: '4096' });
  });
  afterAll(() => server.close());

  async function stillServing(): Promise<void> {
    expect((await raw(server.baseUrl, { method: 'GET', path: '/healthz' })).status).toBe(200);
    const client = await connect(server.baseUrl);
    const created = await call(client, ToolName.createSession);
    expect(created.isError).toBeFalsy();
    await client.close();
  }

  it('answers GET / with what this server is: a page for browsers, JSON otherwise', async () => {
    const json = await raw(server.baseUrl, { method: 'GET', path: '/', headers: { accept: 'application/json' } });
    expect(json.status).toBe(200);
    const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    expect(JSON.parse(json.body)).toMatchObject({ name: 'target-auth', version, mcp: expect.stringMatching(/^http:\/\/localhost:\d+\/mcp$/), account: expect.stringMatching(/^http:\/\/localhost:\d+\/account$/) });
    const page = await raw(server.baseUrl, { method: 'GET', path: '/', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('/mcp</code>');
    expect(page.body).toMatch(/<a href="http:\/\/localhost:\d+\/account">/);
    expect(page.body).not.toContain('Cannot GET');
  });

  it('answers each surface’s refusals in its own shape', async () => {
    const body = JSON.stringify({ sessionId: 'x' });
    const headers = { 'content-type': 'text/plain', origin: 'https://chatgpt.com', ...MCP_ACCEPT };
    const mcp = await raw(server.baseUrl, { path: '/mcp', headers, body });
    expect(JSON.parse(mcp.body)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Unsupported Media Type: Content-Type must be application/json' } });
    const api = await raw(server.baseUrl, { path: '/api/session/credentials', headers, body });
    expect(api.status).toBe(415);
    expect(JSON.parse(api.body)).toEqual({ error: 'unsupported_media_type', message: 'Unsupported Media Type: Content-Type must be application/json' });
    const invalid = await raw(server.baseUrl, { path: '/api/session/credentials', body: JSON.stringify({ sessionId: 'x', email: 'nope', password: 'pw', extra: 1 }) });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ error: 'invalid_input' });
    const elsewhere = await raw(server.baseUrl, { method: 'GET', path: '/no-such-page' });
    expect(elsewhere.status).toBe(404);
    expect(JSON.parse(elsewhere.body)).toMatchObject({ error: 'not_found' });
  });

  it('answers GET /healthz', async () => {
    const res = await raw(server.baseUrl, { method: 'GET', path: '/healthz' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  it('answers malformed JSON with a JSON-RPC parse error', async () => {
    const res = await raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: '{"jsonrpc": "2.0", "id": 1,' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: the body is not valid JSON' } });
    await stillServing();
  });

  it('answers an oversized body with 413 before any work', async () => {
    const res = await raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: rpc('tools/list', { pad: 'x'.repeat(10_000) }) });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toBe('Payload too large');
    const api = await raw(server.baseUrl, { path: '/api/session/credentials', body: JSON.stringify({ pad: 'x'.repeat(10_000) }) });
    expect(api.status).toBe(413);
    await stillServing();
  });

  it('answers a wrong content type with 415', async () => {
    const res = await raw(server.baseUrl, { path: '/mcp', headers: { ...MCP_ACCEPT, 'content-type': 'text/plain' }, body: rpc('tools/list') });
    expect(res.status).toBe(415);
    await stillServing();
  });

  it('answers deeply nested and wrongly shaped JSON-RPC with clear errors', async () => {
    const nested = `${'['.repeat(1000)}${']'.repeat(1000)}`;
    const deep = await raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: nested });
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.body).error).toBeDefined();
    const shape = await raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: JSON.stringify({ hello: 'world' }) });
    expect(shape.status).toBe(400);
    expect(JSON.parse(shape.body).error).toBeDefined();
    await stillServing();
  });

  it('refuses unknown fields and wrong types in tool input', async () => {
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    const unknown = await call(client, ToolName.authStatus, { sessionId, authenticated: true });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/Unrecognized key/);
    const wrongType = await call(client, ToolName.authStatus, { sessionId: 42 });
    expect(wrongType.isError).toBe(true);
    expect(text(wrongType)).toMatch(/sessionId/);
    const badEmail = await call(client, ToolName.submitCredentials, { sessionId, email: 'not-an-email', password: 'hunter22' });
    expect(badEmail.isError).toBe(true);
    expect(text(badEmail)).toMatch(/Enter a valid email address/);
    expect(text(badEmail)).not.toContain('hunter22');
    const emptyPassword = await call(client, ToolName.submitCredentials, { sessionId, email: 'a@example.com', password: '' });
    expect(text(emptyPassword)).toMatch(/Enter your password/);
    const shortCode = await call(client, ToolName.verifyCode, { sessionId, code: '12a456' });
    expect(text(shortCode)).toMatch(/Enter the 6-digit code/);
    await client.close();
  });

  it('refuses bad API bodies with 400 and a message naming the field', async () => {
    const res = await raw(server.baseUrl, { path: '/api/session/credentials', body: JSON.stringify({ sessionId: 'x', email: 'nope', password: 'pw' }) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'invalid_input', message: 'email: Enter a valid email address' });
    const unknown = await raw(server.baseUrl, { path: '/api/session/authenticate', body: JSON.stringify({ sessionId: 'sess_x', code: '123456' }) });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error).toBe('invalid_session');
  });

  it.each(['/mcp', '/api/session/credentials', '/messages?sessionId=x'])('refuses a foreign Host header on %s (DNS rebinding)', async (path) => {
    const res = await raw(server.baseUrl, { path, headers: { ...MCP_ACCEPT, host: 'evil.example.com' }, body: rpc('tools/list') });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/Host header is not allowed/);
  });

  it.each(['localhost', '127.0.0.1', '[::1]'])('accepts Host %s with the port', async (host) => {
    const port = new URL(server.baseUrl).port;
    const res = await raw(server.baseUrl, { path: '/mcp', headers: { ...MCP_ACCEPT, host: `${host}:${port}` }, body: rpc('tools/list') });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Origin and allows the host sandbox origins with exact CORS headers', async () => {
    const evil = await raw(server.baseUrl, { path: '/mcp', headers: { ...MCP_ACCEPT, origin: 'https://evil.example.com' }, body: rpc('tools/list') });
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();

    const sandbox = 'https://abc.web-sandbox.oaiusercontent.com';
    const ok = await raw(server.baseUrl, { path: '/mcp', headers: { ...MCP_ACCEPT, origin: sandbox }, body: rpc('tools/list') });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(sandbox);
    expect(ok.headers['vary']).toMatch(/Origin/);

    const preflight = await raw(server.baseUrl, {
      method: 'OPTIONS',
      path: '/api/session/credentials',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('refuses GET on state-changing routes and stateful Streamable HTTP', async () => {
    expect((await raw(server.baseUrl, { method: 'GET', path: '/api/session/authenticate' })).status).toBe(404);
    const stateless = { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this server is stateless; POST JSON-RPC to /mcp.' }, id: null };
    const get = await raw(server.baseUrl, { method: 'GET', path: '/mcp', headers: { accept: 'application/json' } });
    expect([get.status, JSON.parse(get.body)]).toEqual([405, stateless]);
    // A Streamable HTTP client's optional GET stream: it names a revision or a session; neither is served.
    for (const named of [{ 'mcp-protocol-version': '2025-06-18' }, { 'mcp-session-id': 'abc' }] as Record<string, string>[]) {
      const streamableGet = await raw(server.baseUrl, { method: 'GET', path: '/mcp', headers: { accept: 'text/event-stream', ...named } });
      expect([streamableGet.status, JSON.parse(streamableGet.body)]).toEqual([405, stateless]);
    }
    const del = await raw(server.baseUrl, { method: 'DELETE', path: '/mcp' });
    expect([del.status, JSON.parse(del.body)]).toEqual([405, { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: POST JSON-RPC to /mcp.' }, id: null }]);
  });

  it('speaks stateless Streamable HTTP: initialize, batches, notifications, headers', async () => {
    const init = await raw(server.baseUrl, {
      path: '/mcp',
      headers: MCP_ACCEPT,
      body: rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } }),
    });
    expect(init.status).toBe(200);
    expect(init.headers['mcp-session-id']).toBeUndefined();
    expect(JSON.parse(init.body)).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18', serverInfo: { name: 'target-auth' } } });

    const batch = await raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: `[${rpc('tools/list', {}, 'a')},${rpc('resources/list', {}, 'b')}]` });
    const answers = JSON.parse(batch.body) as { id: string }[];
    expect(answers.map((answer) => answer.id).sort()).toEqual(['a', 'b']);

    const notification = await raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    expect(notification.status).toBe(202);
    expect(notification.body).toBe('');

    const notAcceptable = await raw(server.baseUrl, { path: '/mcp', headers: { accept: 'application/json' }, body: rpc('tools/list') });
    expect(notAcceptable.status).toBe(406);
    const badVersion = await raw(server.baseUrl, { path: '/mcp', headers: { ...MCP_ACCEPT, 'mcp-protocol-version': '1999-01-01' }, body: rpc('tools/list') });
    expect(badVersion.status).toBe(400);
    expect(JSON.parse(badVersion.body).error.message).toMatch(/Unsupported protocol version/);
    const unknownMethod = await raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: rpc('no/such/method') });
    expect(JSON.parse(unknownMethod.body)).toMatchObject({ id: 1, error: { code: -32601 } });
  });

  it('answers POST /messages for an unknown SSE session with 404', async () => {
    const res = await raw(server.baseUrl, { path: '/messages?sessionId=nope', body: rpc('tools/list') });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.message).toMatch(/Unknown or closed SSE session/);
  });

  it('keeps serving everyone during a burst of bad requests', async () => {
    const bad = Array.from({ length: 50 }, (_, i) =>
      raw(server.baseUrl, { path: '/mcp', headers: MCP_ACCEPT, body: i % 2 ? '{' : rpc('no/such/method') }),
    );
    const client = await connect(server.baseUrl);
    const [results, good] = await Promise.all([Promise.all(bad), call(client, ToolName.createSession)]);
    expect(results.every((res) => res.status === 400 || res.status === 200)).toBe(true);
    expect(good.isError).toBeFalsy();
    await client.close();
  });

  it('answers the HTTP API lockout: four 401s, then 423, then 423 even for the right code', async () => {
    const locking = await startServer({ DEMO_CODE: '424242' });
    try {
      const client = await connect(locking.baseUrl);
      const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
      await client.close();
      const post = (path: string, body: object) => raw(locking.baseUrl, { path, body: JSON.stringify(body) });
      expect((await post('/api/session/credentials', { sessionId, email: 'ada@example.com', password: 'pw' })).status).toBe(200);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await post('/api/session/authenticate', { sessionId, code: '111111' })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 423]);
      const right = await post('/api/session/authenticate', { sessionId, code: '424242' });
      expect(right.status).toBe(423);
      expect(JSON.parse(right.body)).toMatchObject({ error: 'locked', attemptsLeft: 0 });
    } finally {
      await locking.close();
    }
  });
});
