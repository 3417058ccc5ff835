import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { call, connect, connectV2, MCP_ACCEPT, raw, rpc as rpcMessage, type Running, startServer, text } from './helpers.js';

const rpc = (...args: Parameters<typeof rpcMessage>): string => JSON.stringify(rpcMessage(...args));

/** The whole demo sign-in through one client, returning what the status tool says at the end. */
async function signIn(client: Parameters<typeof call>[0]): Promise<unknown> {
  const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
  const shown = await call(client, ToolName.authenticate, { sessionId });
  expect(shown.structuredContent).toEqual({ sessionId, authenticated: false, step: 'credentials', providers: [{ id: 'demo', name: 'Demo ID' }] });
  expect((await call(client, ToolName.submitCredentials, { sessionId, email: 'ada@example.com', password: 'pw' })).structuredContent).toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } });
  expect((await call(client, ToolName.verifyCode, { sessionId, code: '123456' })).structuredContent).toEqual({ authenticated: true, name: 'Lauren Bailey', email: 'ada@example.com' });
  return (await call(client, ToolName.authStatus, { sessionId })).structuredContent;
}

describe('protocol revisions and errors (e2e)', () => {
  let server: Running;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('negotiates 2026-07-28 with a v2 client that probes server/discover, and signs in', async () => {
    const client = await connectV2(server.baseUrl, 'auto');
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(client.getProtocolEra()).toBe('modern');
    expect(await signIn(client)).toEqual({ authenticated: true, email: 'ada@example.com', name: 'Lauren Bailey' });
    await client.close();
  });

  it('serves a v2 client on its default 2025-11-25 handshake too', async () => {
    const client = await connectV2(server.baseUrl, 'default');
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect(await signIn(client)).toMatchObject({ authenticated: true });
    await client.close();
  });

  it('gives both eras the same tools, inputs, results and _meta', async () => {
    const modern = await connectV2(server.baseUrl, 'auto');
    const legacy = await connect(server.baseUrl);
    const [a, b] = await Promise.all([modern.listTools(), legacy.listTools()]);
    expect(a.tools).toEqual(b.tools);
    const [ra, rb] = await Promise.all([modern.listResources(), legacy.listResources()]);
    expect(ra.resources).toEqual(rb.resources);
    expect(ra.resources.map((resource) => resource.mimeType)).toEqual(['text/html;profile=mcp-app']);
    const created = await call(modern, ToolName.createSession);
    const sessionId = (created.structuredContent as { sessionId: string }).sessionId;
    const [x, y] = await Promise.all([call(modern, ToolName.authenticate, { sessionId }), call(legacy, ToolName.authenticate, { sessionId })]);
    expect(x.structuredContent).toEqual(y.structuredContent);
    expect(x.content).toEqual(y.content);
    await Promise.all([modern.close(), legacy.close()]);
  });

  it.each(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'])('keeps a %s client working: initialize, then stateless calls', async (version) => {
    const headers = { ...MCP_ACCEPT, ...(version >= '2025-06-18' ? { 'mcp-protocol-version': version } : {}) };
    const init = await raw(server.baseUrl, {
      path: '/mcp',
      headers: MCP_ACCEPT,
      body: rpc('initialize', { protocolVersion: version, capabilities: {}, clientInfo: { name: 'old', version: '1' } }),
    });
    expect(init.status).toBe(200);
    expect(JSON.parse(init.body).result.protocolVersion).toBe(version);
    const created = await raw(server.baseUrl, { path: '/mcp', headers, body: rpc('tools/call', { name: ToolName.createSession, arguments: {} }, 2) });
    const { sessionId } = JSON.parse(created.body).result.structuredContent as { sessionId: string };
    const status = await raw(server.baseUrl, { path: '/mcp', headers, body: rpc('tools/call', { name: ToolName.authStatus, arguments: { sessionId } }, 3) });
    expect(JSON.parse(status.body).result.structuredContent).toEqual({ authenticated: false, email: null, name: null });
  });

  describe.each(['legacy', 'modern'] as const)('errors the spec’s way (%s era)', (era) => {
    const open = () => (era === 'modern' ? connectV2(server.baseUrl, 'auto') : connect(server.baseUrl));

    it('answers an unknown tool with a JSON-RPC -32602 error', async () => {
      const client = await open();
      await expect(client.callTool({ name: 'no-such-tool', arguments: {} })).rejects.toMatchObject({ code: -32602 });
      await client.close();
    });

    it('answers an unknown resource with the current revision’s not-found error (-32602 naming the uri)', async () => {
      const client = await open();
      const uri = 'ui://widget/nope.html';
      await expect(client.readResource({ uri })).rejects.toMatchObject({ code: -32602, data: { uri } });
      await client.close();
    });

    it('answers bad tool arguments as an invalid_input result that names the field and never echoes the value', async () => {
      const client = await open();
      const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
      const secret = 'hunter2-SECRET-value';
      const bad = await call(client, ToolName.submitCredentials, { sessionId, email: secret, password: secret });
      expect(bad.isError).toBe(true);
      expect(bad.structuredContent).toEqual({ error: 'invalid_input', message: 'email: Enter a valid email address' });
      expect(JSON.stringify(bad)).not.toContain(secret);
      const wrongType = await call(client, ToolName.authStatus, { sessionId: 12345678 });
      expect(wrongType.structuredContent).toMatchObject({ error: 'invalid_input', message: expect.stringMatching(/^sessionId: /) });
      expect(JSON.stringify(wrongType)).not.toContain('12345678');
      expect(text(wrongType)).toBe((wrongType.structuredContent as { message: string }).message);
      await client.close();
    });
  });

  it('names the allowed method on every 405', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await raw(server.baseUrl, { method, path: '/mcp', headers: MCP_ACCEPT });
      expect(res.status).toBe(405);
      expect(res.headers['allow']).toBe('POST');
    }
    const streamableGet = await raw(server.baseUrl, { method: 'GET', path: '/mcp', headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25' } });
    expect(streamableGet.status).toBe(405);
    expect(streamableGet.headers['allow']).toBe('POST');
  });
});
