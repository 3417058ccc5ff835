import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SESSION_EXPIRED_MESSAGE, SESSION_ID_PATTERN, SIGN_IN_LOCKED_MESSAGE, ToolName } from '@target-auth/shared/tools';
import { defaultWidgetPath } from '../src/widget/widget.resource.js';
import { call, connect, raw, type Running, startServer, text, type TransportKind } from './helpers.js';

const PASSWORD = 'correct-horse-battery';

describe('MCP sign-in flow (e2e)', () => {
  let server: Running;

  beforeAll(async () => {
    server = await startServer({ DEMO_USERS: '{"bob@example.com":{"name":"Bob Jones"}}' });
  });
  afterAll(() => server.close());

  it('lists the five tools with the widget metadata hosts expect', async () => {
    const client = await connect(server.baseUrl);
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual(Object.values(ToolName).sort());

    const meta = byName[ToolName.authenticate]!._meta as Record<string, any>;
    expect(meta.ui.resourceUri).toMatch(/^ui:\/\/widget\/target-auth-[0-9a-f]{12}\.html$/);
    expect(meta['openai/outputTemplate']).toBe(meta.ui.resourceUri);
    expect(meta['openai/widgetAccessible']).toBe(true);
    expect(meta['openai/toolInvocation/invoking'].length).toBeLessThanOrEqual(64);
    expect(meta['openai/toolInvocation/invoked'].length).toBeLessThanOrEqual(64);

    for (const name of [ToolName.submitCredentials, ToolName.verifyCode]) {
      const appOnly = byName[name]!._meta as Record<string, any>;
      expect(appOnly.ui).toEqual({ visibility: ['app'] });
      expect(appOnly['openai/visibility']).toBe('private');
      expect(appOnly['openai/widgetAccessible']).toBe(true);
    }
    expect(byName[ToolName.authStatus]!.annotations?.readOnlyHint).toBe(true);
    expect(byName[ToolName.submitCredentials]!.inputSchema).toMatchObject({ additionalProperties: false });
    await client.close();
  });

  it('serves the built widget as one static MCP Apps resource', async () => {
    const client = await connect(server.baseUrl);
    const { resources } = await client.listResources();
    expect(resources).toHaveLength(1);
    const uri = resources[0]!.uri;
    const { contents } = await client.readResource({ uri });
    const content = contents[0] as { uri: string; mimeType: string; text: string; _meta: Record<string, any> };
    expect(content.mimeType).toBe('text/html;profile=mcp-app');
    expect(content.text).toBe(readFileSync(defaultWidgetPath(), 'utf8'));
    expect(content._meta.ui).toEqual({ csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true });
    // It fetches nothing; in demo mode (Demo ID) it may ask the host to open this server's start links.
    expect(content._meta['openai/widgetCSP']).toEqual({ connect_domains: [], resource_domains: [], redirect_domains: [expect.stringMatching(/^http:\/\/(localhost|127\.0\.0\.1):\d+$/)] });
    expect(content._meta['openai/widgetPrefersBorder']).toBe(true);
    await client.close();
  });

  describe.each<TransportKind>(['streamable', 'sse', 'sse at /sse'])('over %s', (kind) => {
    let client: Client;
    beforeAll(async () => {
      client = await connect(server.baseUrl, kind);
    });
    afterAll(() => client.close());

    it('runs the whole demo sign-in through the app-only tools', async () => {
      const created = await call(client, ToolName.createSession);
      const session = created.structuredContent as { sessionId: string; message: string; expiresAt: string };
      expect(session.sessionId).toMatch(SESSION_ID_PATTERN);
      expect(session.message).toBe('Session created');
      expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(590_000);
      expect(text(created)).toContain(session.sessionId);
      const { sessionId } = session;

      const shown = await call(client, ToolName.authenticate, { sessionId });
      // Demo mode offers Demo ID beside the password.
      expect(shown.structuredContent).toEqual({ sessionId, authenticated: false, step: 'credentials', providers: [{ id: 'demo', name: 'Demo ID' }] });
      expect(text(shown)).toMatch(/^Authentication required/);

      expect((await call(client, ToolName.authStatus, { sessionId })).structuredContent).toEqual({
        authenticated: false,
        email: null,
        name: null,
      });

      const accepted = await call(client, ToolName.submitCredentials, { sessionId, email: 'lauren@example.com', password: PASSWORD });
      expect(accepted.structuredContent).toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } });
      const signedIn = await call(client, ToolName.verifyCode, { sessionId, code: '314159' });
      expect(signedIn.structuredContent).toEqual({ authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' });

      const status = await call(client, ToolName.authStatus, { sessionId });
      expect(status.structuredContent).toEqual({ authenticated: true, email: 'lauren@example.com', name: 'Lauren Bailey' });
      const again = await call(client, ToolName.authenticate, { sessionId });
      expect(again.structuredContent).toEqual({ sessionId, authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' });

      for (const result of [created, shown, accepted, signedIn, status, again]) {
        expect(JSON.stringify(result)).not.toContain(PASSWORD);
        expect(JSON.stringify(result)).not.toContain('314159');
      }
    });

    it('answers unknown sessions with the documented errors', async () => {
      const shown = await call(client, ToolName.authenticate, { sessionId: 'sess_AAAAAAAAAAAAAAAAAAAAAAAA' });
      expect(shown.isError).toBe(true);
      expect(text(shown)).toBe('Invalid session');
      const status = await call(client, ToolName.authStatus, { sessionId: 'not even an id' });
      expect(status.isError).toBe(true);
      expect(text(status)).toBe('Invalid session');
    });
  });

  it('runs the sign-in through the HTTP API with the same rules', async () => {
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    const early = await raw(server.baseUrl, { path: '/api/session/authenticate', body: JSON.stringify({ sessionId, code: '123456' }) });
    expect(early.status).toBe(409);
    expect(JSON.parse(early.body)).toMatchObject({ error: 'wrong_step' });

    const creds = await raw(server.baseUrl, {
      path: '/api/session/credentials',
      body: JSON.stringify({ sessionId, email: 'bob@example.com', password: PASSWORD }),
    });
    expect(creds.status).toBe(200);
    expect(JSON.parse(creds.body)).toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } });
    const code = await raw(server.baseUrl, { path: '/api/session/authenticate', body: JSON.stringify({ sessionId, code: '123456' }) });
    expect(JSON.parse(code.body)).toEqual({ authenticated: true, name: 'Bob Jones', email: 'bob@example.com' });
    expect((await call(client, ToolName.authStatus, { sessionId })).structuredContent).toMatchObject({ name: 'Bob Jones' });
    await client.close();
  });

  it('refuses the seed’s trust-the-client fields on the HTTP API', async () => {
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    const forged = await raw(server.baseUrl, {
      path: '/api/session/authenticate',
      body: JSON.stringify({ sessionId, code: '123456', email: 'x@example.com', name: 'Mallory', authenticated: true }),
    });
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body).message).toMatch(/Unrecognized key/);
    expect((await call(client, ToolName.authStatus, { sessionId })).structuredContent).toMatchObject({ authenticated: false });
    await client.close();
  });

  it('keeps two sessions apart', async () => {
    const [a, b] = await Promise.all([connect(server.baseUrl), connect(server.baseUrl, 'sse')]);
    const idA = ((await call(a, ToolName.createSession)).structuredContent as { sessionId: string }).sessionId;
    const idB = ((await call(b, ToolName.createSession)).structuredContent as { sessionId: string }).sessionId;
    await call(a, ToolName.submitCredentials, { sessionId: idA, email: 'amy@example.com', password: 'a' });
    await call(b, ToolName.submitCredentials, { sessionId: idB, email: 'bob@example.com', password: 'b' });
    await call(b, ToolName.verifyCode, { sessionId: idB, code: '000000' });
    expect((await call(a, ToolName.authStatus, { sessionId: idA })).structuredContent).toEqual({ authenticated: false, email: null, name: null });
    expect((await call(a, ToolName.authStatus, { sessionId: idB })).structuredContent).toMatchObject({ name: 'Bob Jones' });
    await Promise.all([a.close(), b.close()]);
  });
});

describe('wrong codes and expiry (e2e)', () => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer({ DEMO_CODE: '246810', SESSION_TTL_MS: '1500' });
  });
  afterAll(() => server.close());

  it('counts down wrong codes, then locks the session', async () => {
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    await call(client, ToolName.submitCredentials, { sessionId, email: 'a@example.com', password: 'x' });
    const first = await call(client, ToolName.verifyCode, { sessionId, code: '111111' });
    expect(first.isError).toBe(true);
    expect(first.structuredContent).toEqual({ error: 'wrong_code', message: 'That code is not right. 4 attempts left.', attemptsLeft: 4 });
    for (let i = 0; i < 4; i++) await call(client, ToolName.verifyCode, { sessionId, code: '111111' });
    const locked = await call(client, ToolName.verifyCode, { sessionId, code: '246810' });
    expect(locked.structuredContent).toMatchObject({ error: 'locked' });
    expect(text(locked)).toBe(SIGN_IN_LOCKED_MESSAGE);
    expect(JSON.stringify(locked)).not.toContain('246810');
    const status = await call(client, ToolName.authStatus, { sessionId });
    expect(status.isError).toBeFalsy();
    expect(status.structuredContent).toEqual({ authenticated: false, locked: true });
    expect(text(status)).toBe(SIGN_IN_LOCKED_MESSAGE);
    const shown = await call(client, ToolName.authenticate, { sessionId });
    expect(shown.structuredContent).toEqual({ error: 'locked', message: SIGN_IN_LOCKED_MESSAGE, attemptsLeft: 0 });
    await client.close();
  });

  it('reports an expired session in the words of the seed', async () => {
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const status = await call(client, ToolName.authStatus, { sessionId });
    expect(status.isError).toBeFalsy();
    expect(status.structuredContent).toEqual({ authenticated: false, expired: true });
    expect(text(status)).toBe(SESSION_EXPIRED_MESSAGE);
    const shown = await call(client, ToolName.authenticate, { sessionId });
    expect(shown.isError).toBe(true);
    expect(text(shown)).toBe(SESSION_EXPIRED_MESSAGE);
    const api = await raw(server.baseUrl, {
      path: '/api/session/credentials',
      body: JSON.stringify({ sessionId, email: 'a@example.com', password: 'x' }),
    });
    expect(api.status).toBe(410);
    await client.close();
  });
});
