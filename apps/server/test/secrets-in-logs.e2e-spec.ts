/**
 * At the most verbose log level, a whole sign-in through every surface (tools
 * over Streamable HTTP and SSE, the HTTP API) writes no password, code or
 * session id to the log.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { captureOutput } from '../src/testing/logs.js';
import { call, connect, raw, type Running, startServer } from './helpers.js';
import { callTool, link, mcp, REDIRECT_URI, register, startLinkingServer, token } from './oauth.js';

const PASSWORD = 'Verbose-Secret-Password-9';
const CODE = '975310';

describe('logs at LOG_LEVEL=verbose (e2e)', () => {
  let server: Running;
  const written: string[] = [];

  beforeAll(async () => {
    captureOutput(written);
    server = await startServer({ LOG_LEVEL: 'verbose', DEMO_CODE: CODE });
  });
  afterAll(async () => {
    await server.close();
    jest.restoreAllMocks();
  });

  it('hold no password, code or session id after full flows on every surface', async () => {
    const sessionIds: string[] = [];
    for (const kind of ['streamable', 'sse'] as const) {
      const client = await connect(server.baseUrl, kind);
      const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
      sessionIds.push(sessionId);
      await call(client, ToolName.authenticate, { sessionId });
      await call(client, ToolName.submitCredentials, { sessionId, email: 'ada@example.com', password: PASSWORD });
      await call(client, ToolName.verifyCode, { sessionId, code: '000000' });
      await call(client, ToolName.verifyCode, { sessionId, code: CODE });
      await call(client, ToolName.authStatus, { sessionId });
      await client.close();
    }
    const client = await connect(server.baseUrl);
    const { sessionId } = (await call(client, ToolName.createSession)).structuredContent as { sessionId: string };
    sessionIds.push(sessionId);
    await client.close();
    const post = (path: string, body: object) => raw(server.baseUrl, { path, body: JSON.stringify(body) });
    expect((await post('/api/session/credentials', { sessionId, email: 'ada@example.com', password: PASSWORD })).status).toBe(200);
    expect((await post('/api/session/authenticate', { sessionId, code: '000000' })).status).toBe(401);
    expect((await post('/api/session/authenticate', { sessionId, code: CODE })).status).toBe(200);
    expect((await post('/api/session/credentials', { sessionId: 'not-a-session', email: 'x@example.com', password: PASSWORD })).status).toBe(404);

    const log = written.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(CODE);
    for (const id of sessionIds) expect(log).not.toContain(id);
  });

  it('hold no password, code, authorization code or token after linking an account', async () => {
    const linking = await startLinkingServer({ LOG_LEVEL: 'verbose', DEMO_CODE: CODE });
    const before = written.length;
    try {
      const client = await register(linking.baseUrl);
      const { redirect, pkce } = await link(linking, client, { credentials: { email: 'ada@example.com', password: PASSWORD, code: async () => CODE } });
      const code = redirect.searchParams.get('code')!;
      const exchanged = await token(linking.baseUrl, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: pkce.verifier,
        client_id: client.client_id,
        resource: linking.resource,
      });
      const { access_token: accessToken, refresh_token: refreshToken } = exchanged.body as { access_token: string; refresh_token: string };
      expect((await mcp(linking.baseUrl, callTool('get-target-account'), accessToken)).status).toBe(200);
      expect((await mcp(linking.baseUrl, callTool('get-target-account'), `${accessToken}x`)).status).toBe(401);
      const log = written.slice(before).join('');
      for (const secret of [PASSWORD, CODE, code, accessToken, refreshToken, pkce.verifier]) expect(log).not.toContain(secret);
    } finally {
      await linking.close();
    }
  });
});
