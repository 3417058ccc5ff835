/**
 * Account linking over HTTP (demo accounts): the authorization server's
 * metadata (the MCP authorization spec's requirements; the conformance suite's
 * release checks authorization only in clients), the flow, tokens, refresh rotation and
 * reuse, revocation, expiry, the refusals, and get-target-account.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Configuration } from 'oidc-provider';
import { INTERACTION_EXPIRED_MESSAGE } from '@target-auth/shared/linking';
import { OAuthServer } from '../src/oauth/oauth-server.js';
import {
  authorizationUrl,
  Browser,
  callTool,
  type ClientRegistration,
  followTo,
  link,
  linkedTokens,
  type LinkingServer,
  mcp,
  pkce,
  REDIRECT_URI,
  register,
  revoke,
  signInOnPage,
  startLinkingServer,
  token,
} from './oauth.js';

let server: LinkingServer;

beforeAll(async () => {
  server = await startLinkingServer({}, { refreshReuseGraceSeconds: 0 });
});

afterAll(async () => {
  await server.close();
});

const json = async (path: string) => {
  const response = await fetch(`${server.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
};

/** The authorization request's outcome: where the browser is sent (the client's redirect or an error page). */
async function authorize(params: Partial<Parameters<typeof authorizationUrl>[1]> & { clientId: string }) {
  const browser = new Browser(server.baseUrl);
  const response = await browser.request(authorizationUrl(server.baseUrl, params));
  return { status: response.status, location: response.headers.get('location'), type: response.headers.get('content-type'), body: await response.text() };
}

describe('metadata (conformance: authorization)', () => {
  it.each(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'])('%s advertises code + S256, CIMD, iss and the endpoints', async (path) => {
    const { status, body } = await json(path);
    expect(status).toBe(200);
    expect(body['issuer']).toBe(server.baseUrl);
    expect(body['authorization_endpoint']).toBe(`${server.baseUrl}/authorize`);
    expect(body['token_endpoint']).toBe(`${server.baseUrl}/token`);
    expect(body['registration_endpoint']).toBe(`${server.baseUrl}/register`);
    expect(body['revocation_endpoint']).toBe(`${server.baseUrl}/revoke`);
    expect(body['response_types_supported']).toEqual(['code']);
    expect(body['grant_types_supported']).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    expect(body['code_challenge_methods_supported']).toEqual(['S256']);
    expect(body['client_id_metadata_document_supported']).toBe(true);
    expect(body['authorization_response_iss_parameter_supported']).toBe(true);
    expect(body['token_endpoint_auth_methods_supported']).toContain('none');
    for (const unserved of ['pushed_authorization_request_endpoint', 'userinfo_endpoint', 'introspection_endpoint', 'end_session_endpoint', 'device_authorization_endpoint']) {
      expect(body).not.toHaveProperty(unserved);
    }
    expect(body).not.toHaveProperty('dpop_signing_alg_values_supported');
    expect(body['scopes_supported']).toContain('account:read');
  });

  it('publishes one Ed25519 signing key, the same on every instance with the same SECRET_KEY', async () => {
    const secret = Buffer.alloc(32, 7).toString('base64');
    const [one, two, other] = await Promise.all([startLinkingServer({ SECRET_KEY: secret }), startLinkingServer({ SECRET_KEY: secret }), startLinkingServer({ SECRET_KEY: Buffer.alloc(32, 8).toString('base64') })]);
    try {
      const jwks = async (at: LinkingServer) => ((await (await fetch(`${at.baseUrl}/jwks`)).json()) as { keys: Record<string, string>[] }).keys;
      const [keysOne, keysTwo, keysOther] = await Promise.all([jwks(one), jwks(two), jwks(other)]);
      expect(keysOne).toHaveLength(1);
      expect(keysOne[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
      expect(keysOne[0]).not.toHaveProperty('d');
      expect(keysTwo).toEqual(keysOne);
      expect(keysOther[0]!['x']).not.toBe(keysOne[0]!['x']);
      expect(keysOther[0]!['kid']).not.toBe(keysOne[0]!['kid']);
    } finally {
      await Promise.all([one.close(), two.close(), other.close()]);
    }
  });

  it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])('%s names the resource, its server and scope', async (path) => {
    const { status, body, headers } = await json(path);
    expect(status).toBe(200);
    expect(body).toMatchObject({ resource: server.resource, authorization_servers: [server.baseUrl], scopes_supported: ['account:read'], bearer_methods_supported: ['header'] });
    expect(headers.get('access-control-allow-origin')).toBe('*');
  });

  it('lists every tool with securitySchemes at the top level and in _meta: three noauth, get-target-account oauth2', async () => {
    const { json: listed } = await mcp(server.baseUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const tools = (listed as { result: { tools: { name: string; securitySchemes: unknown; _meta: { securitySchemes: unknown } }[] } }).result.tools;
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const name of ['create-target-session', 'authenticate-target', 'get-target-auth-status']) {
      expect(byName.get(name)?.securitySchemes).toEqual([{ type: 'noauth' }]);
      expect(byName.get(name)?._meta.securitySchemes).toEqual([{ type: 'noauth' }]);
    }
    const account = byName.get('get-target-account');
    expect(account?.securitySchemes).toEqual([{ type: 'oauth2', scopes: ['account:read'] }]);
    expect(account?._meta.securitySchemes).toEqual([{ type: 'oauth2', scopes: ['account:read'] }]);
  });
});

describe('the authorization code flow', () => {
  it('echoes state and iss in the redirect, and answers the token request with no-store', async () => {
    const client = await register(server.baseUrl);
    const { redirect, pkce: codes } = await link(server, client);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('state-123');
    expect(redirect.searchParams.get('iss')).toBe(server.baseUrl);
    const exchanged = await token(server.baseUrl, {
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code')!,
      redirect_uri: REDIRECT_URI,
      code_verifier: codes.verifier,
      client_id: client.client_id,
      resource: server.resource,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('cache-control')).toBe('no-store');
    expect(exchanged.body['scope']).toContain('account:read');
  });

  it('get-target-account returns the linked account read from the token, never from arguments', async () => {
    const tokens = await linkedTokens(server, await register(server.baseUrl));
    const answer = await mcp(server.baseUrl, callTool('get-target-account', { email: 'someone@else.com' }), tokens.access_token);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ result: { structuredContent: { name: 'Lauren Bailey', email: 'ada@example.com', profile: null } } });
  });

  it('works on revision 2026-07-28 (SDK v2) and on legacy SSE (SDK 1.x) too, each request with its own token', async () => {
    const tokens = await linkedTokens(server, await register(server.baseUrl));
    const headers = { authorization: `Bearer ${tokens.access_token}` };
    const expected = { name: 'Lauren Bailey', email: 'ada@example.com', profile: null };

    const modern = new ModernClient({ name: 'linked-v2', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await modern.connect(new ModernTransport(new URL('/mcp', server.baseUrl), { requestInit: { headers } }));
    expect((await modern.callTool({ name: 'get-target-account', arguments: {} })).structuredContent).toEqual(expected);
    await modern.close();

    const sse = new LegacyClient({ name: 'linked-sse', version: '1.0.0' });
    await sse.connect(new SSEClientTransport(new URL('/sse', server.baseUrl), { requestInit: { headers } }));
    expect((await sse.callTool({ name: 'get-target-account', arguments: {} })).structuredContent).toEqual(expected);
    await sse.close();

    // Over SSE each POSTed message carries its own token: one without gets the link request.
    const anonymous = new LegacyClient({ name: 'anonymous-sse', version: '1.0.0' });
    await anonymous.connect(new SSEClientTransport(new URL('/sse', server.baseUrl)));
    expect((await anonymous.callTool({ name: 'get-target-account', arguments: {} })).isError).toBe(true);
    await anonymous.close();
  });

  it('without a token, get-target-account asks the host to link (isError + mcp/www_authenticate); the noauth tools still work', async () => {
    const answer = await mcp(server.baseUrl, callTool('get-target-account'));
    expect(answer.status).toBe(200);
    const result = (answer.json as { result: { isError: boolean; _meta: Record<string, string[]> } }).result;
    expect(result.isError).toBe(true);
    const [challenge] = result._meta['mcp/www_authenticate']!;
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${server.baseUrl}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toMatch(/error_description="[^"]+"/);
    expect((await mcp(server.baseUrl, callTool('create-target-session'))).status).toBe(200);
  });

  it('an unknown token gets 401 with the same WWW-Authenticate challenge', async () => {
    const answer = await mcp(server.baseUrl, callTool('get-target-account'), 'not-a-token');
    expect(answer.status).toBe(401);
    expect(answer.wwwAuthenticate).toContain(`resource_metadata="${server.baseUrl}/.well-known/oauth-protected-resource/mcp"`);
    expect(answer.wwwAuthenticate).toContain('error="invalid_token"');
  });

  it('refuses a token issued for another audience', async () => {
    const tokens = await linkedTokens(server, await register(server.baseUrl));
    const provider = await server.app.get(OAuthServer).provider();
    const valid = await provider.AccessToken.find(tokens.access_token);
    const client = await provider.Client.find(valid!.clientId!);
    const foreign = new provider.AccessToken({ accountId: valid!.accountId, client: client!, grantId: valid!.grantId, scope: 'account:read', aud: 'https://other.example/mcp' } as never);
    const value = await foreign.save();
    expect((await mcp(server.baseUrl, callTool('get-target-account'), value)).status).toBe(401);
    expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);
  });

  it('a person signed in on this browser goes straight back; consent is remembered per client across browsers', async () => {
    const client = await register(server.baseUrl);
    const first = await link(server, client);
    expect(first.redirect.searchParams.get('code')).toBeTruthy();
    // Same browser: the session cookie and the grant skip every screen.
    const again = await followTo(
      first.browser,
      authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }),
    );
    expect(new URL(again).searchParams.get('code')).toBeTruthy();
    // A new browser signs in again, but is not asked to consent again.
    const browser = new Browser(server.baseUrl);
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    expect(page).toMatch(/^\/interaction\//);
    const details = (await (await browser.request(`${page}/details`)).json()) as { prompt: string; client: { name: string } };
    expect(details).toMatchObject({ prompt: 'login', client: { name: 'Test client' } });
    const back = await signInOnPage(browser, page);
    expect(new URL(back).searchParams.get('code')).toBeTruthy();
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const client = await register(server.baseUrl);
    const browser = new Browser(server.baseUrl);
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    const opened = await browser.request(`${page}/session`, { json: {} });
    const { sessionId } = (await opened.json()) as { sessionId: string };
    await browser.request('/api/session/credentials', { json: { sessionId, email: 'ada@example.com', password: 'x' } });
    await browser.request('/api/session/authenticate', { json: { sessionId, code: '123456' } });
    const login = await browser.request(`${page}/login`, { json: { sessionId } });
    const resumed = await browser.request(((await login.json()) as { redirectTo: string }).redirectTo);
    const session = resumed.headers.getSetCookie().find((line) => line.startsWith('target_session='));
    // Signed (a key derived from SECRET_KEY): a forged or edited cookie is not believed.
    expect(resumed.headers.getSetCookie().some((line) => line.startsWith('target_session.sig='))).toBe(true);
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/samesite=lax/i);
    expect(session).not.toMatch(/;\s*secure/i);
  });

  it('sets the interaction cookies HttpOnly and SameSite=Lax, and ignores a forwarded protocol on an http PUBLIC_URL', async () => {
    const client = await register(server.baseUrl);
    const url = authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' });
    const response = await fetch(url, { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
    const cookies = response.headers.getSetCookie().filter((line) => line.startsWith('target_interaction'));
    expect(cookies.map((line) => line.split('=')[0])).toEqual(expect.arrayContaining(['target_interaction', 'target_interaction_resume']));
    for (const line of cookies) {
      expect(line).toMatch(/httponly/i);
      expect(line).toMatch(/samesite=lax/i);
      expect(line).not.toMatch(/;\s*secure/i);
    }
  });

  it('serves the hosted page with a strict CSP, and 404 for a malformed interaction id', async () => {
    const browser = new Browser(server.baseUrl);
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: (await register(server.baseUrl)).client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    const shown = await browser.request(page);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const csp = shown.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(shown.headers.get('x-frame-options')).toBe('DENY');
    expect(await shown.text()).toContain('<div id="root">');
    const bad = await browser.request('/interaction/bad$id');
    expect(bad.status).toBe(404);
    expect(await bad.text()).toBe('Not found');
    const details = await browser.request(`${page}/details`);
    expect(details.headers.get('cache-control')).toBe('no-store');
  });
});

describe('behind an https PUBLIC_URL (a TLS-terminating proxy)', () => {
  it('marks the cookies Secure when the proxy says the request came over https', async () => {
    const behindProxy = await startLinkingServer({ PUBLIC_URL: 'https://target.test' });
    try {
      const client = await register(behindProxy.baseUrl);
      const url = authorizationUrl(behindProxy.baseUrl, { clientId: client.client_id, resource: behindProxy.resource, challenge: pkce().challenge, method: 'S256' });
      const response = await fetch(url, { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
      expect(response.status).toBe(303);
      const cookies = response.headers.getSetCookie().filter((line) => line.startsWith('target_interaction'));
      expect(cookies.length).toBeGreaterThan(0);
      for (const line of cookies) expect(line).toMatch(/;\s*secure/i);
    } finally {
      await behindProxy.close();
    }
  });
});

describe('refresh tokens, revocation, expiry', () => {
  it('rotates the refresh token; using a rotated one again revokes the whole family', async () => {
    const client = await register(server.baseUrl);
    const first = await linkedTokens(server, client);
    const refreshed = await token(server.baseUrl, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: client.client_id, resource: server.resource });
    expect(refreshed.status).toBe(200);
    const second = refreshed.body as { access_token: string; refresh_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await mcp(server.baseUrl, callTool('get-target-account'), second.access_token)).status).toBe(200);

    const reused = await token(server.baseUrl, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: client.client_id, resource: server.resource });
    expect(reused.status).toBe(400);
    expect(reused.body['error']).toBe('invalid_grant');
    // The family is gone: the newest refresh token and the access tokens it produced no longer work.
    const after = await token(server.baseUrl, { grant_type: 'refresh_token', refresh_token: second.refresh_token, client_id: client.client_id, resource: server.resource });
    expect(after.body['error']).toBe('invalid_grant');
    expect((await mcp(server.baseUrl, callTool('get-target-account'), second.access_token)).status).toBe(401);
  });

  it('revoking the refresh token (RFC 7009) ends the access tokens of its grant', async () => {
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client);
    expect(await revoke(server.baseUrl, { token: tokens.refresh_token!, token_type_hint: 'refresh_token', client_id: client.client_id })).toBe(200);
    expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(401);
  });

  it('revoking an access token ends that token', async () => {
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client);
    expect(await revoke(server.baseUrl, { token: tokens.access_token, client_id: client.client_id })).toBe(200);
    expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(401);
  });

  it("an app cannot revoke another app's token: the answer is the same, the token keeps working", async () => {
    const owner = await register(server.baseUrl);
    const tokens = await linkedTokens(server, owner);
    const stranger = await register(server.baseUrl);
    expect(await revoke(server.baseUrl, { token: tokens.access_token, client_id: stranger.client_id })).toBe(200);
    expect(await revoke(server.baseUrl, { token: tokens.refresh_token!, token_type_hint: 'refresh_token', client_id: stranger.client_id })).toBe(200);
    expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);
  });

  it('a rotated refresh token retried at once (a lost answer) still works, within the grace', async () => {
    const graceful = await startLinkingServer();
    try {
      const client = await register(graceful.baseUrl);
      const first = await linkedTokens(graceful, client);
      const params = { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: client.client_id, resource: graceful.resource };
      expect((await token(graceful.baseUrl, params)).status).toBe(200);
      expect((await token(graceful.baseUrl, params)).status).toBe(200);
    } finally {
      await graceful.close();
    }
  });
});

describe('refusals', () => {
  let clientId: string;

  beforeAll(async () => {
    clientId = (await register(server.baseUrl)).client_id;
  });

  const redirectError = (location: string | null) => {
    expect(location).toBeTruthy();
    const url = new URL(location!);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get('iss')).toBe(server.baseUrl);
    return { error: url.searchParams.get('error'), description: url.searchParams.get('error_description') };
  };

  it('refuses a request without PKCE', async () => {
    const { location } = await authorize({ clientId, resource: server.resource });
    expect(redirectError(location).error).toBe('invalid_request');
  });

  it('requires PKCE of confidential clients too', async () => {
    const confidential = await register(server.baseUrl, { client_name: 'Confidential', token_endpoint_auth_method: 'client_secret_basic' });
    const { location } = await authorize({ clientId: confidential.client_id, resource: server.resource });
    expect(redirectError(location).error).toBe('invalid_request');
  });

  it('registers a client that names no authentication method as a public one, which exchanges codes without a secret', async () => {
    const response = await fetch(`${server.baseUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Defaults', redirect_uris: [REDIRECT_URI] }),
    });
    const registered = (await response.json()) as ClientRegistration & { token_endpoint_auth_method: string };
    expect(registered.token_endpoint_auth_method).toBe('none');
    // A public client is handed no secret it could leak or be asked for.
    expect(registered).not.toHaveProperty('client_secret');
    const tokens = await linkedTokens(server, registered);
    expect(tokens.access_token).toBeTruthy();
  });

  it('refuses plain PKCE', async () => {
    const { location } = await authorize({ clientId, resource: server.resource, challenge: pkce().verifier, method: 'plain' });
    expect(redirectError(location).error).toBe('invalid_request');
  });

  it('refuses a request without resource, or for another resource', async () => {
    const { challenge } = pkce();
    expect(redirectError((await authorize({ clientId, challenge, method: 'S256' })).location)).toEqual({
      error: 'invalid_target',
      description: `the resource parameter is required (${server.resource})`,
    });
    expect(redirectError((await authorize({ clientId, challenge, method: 'S256', resource: 'https://other.example/mcp' })).location)).toEqual({
      error: 'invalid_target',
      description: `tokens are issued for ${server.resource} only`,
    });
  });

  it('never redirects to a URI the client did not register; shows an error page instead', async () => {
    const answer = await authorize({ clientId, resource: server.resource, challenge: pkce().challenge, method: 'S256', redirectUri: 'https://evil.example/callback' });
    expect(answer.status).toBe(400);
    expect(answer.location).toBeNull();
    expect(answer.body).toContain('This sign-in link does not work');
    expect(answer.body).toContain('redirect_uri did not match any of the client&#39;s registered redirect_uris');
    expect(answer.type).toMatch(/^text\/html/);
  });

  it('refuses a token request without resource, for another resource, or with the wrong verifier', async () => {
    const client = await register(server.baseUrl);
    // A refused exchange uses up its code (oidc-provider consumes it first): one code per case.
    const exchange = async (change: Record<string, string | undefined>) => {
      const { redirect, pkce: codes } = await link(server, client);
      const base = { grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: codes.verifier, client_id: client.client_id };
      return (await token(server.baseUrl, { ...base, ...change })).body['error'];
    };
    expect(await exchange({})).toBe('invalid_target');
    const { redirect, pkce: codes } = await link(server, client);
    const missing = await token(server.baseUrl, { grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: codes.verifier, client_id: client.client_id });
    expect(missing.body['error_description']).toBe(`the resource parameter is required (${server.resource})`);
    expect(await exchange({ resource: 'https://other.example/mcp' })).toBe('invalid_target');
    expect(await exchange({ resource: server.resource, code_verifier: pkce().verifier })).toBe('invalid_grant');
  });

  it('a code is good once: replaying it fails', async () => {
    const client = await register(server.baseUrl);
    const { redirect, pkce: codes } = await link(server, client);
    const params = {
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code')!,
      redirect_uri: REDIRECT_URI,
      code_verifier: codes.verifier,
      client_id: client.client_id,
      resource: server.resource,
    };
    expect((await token(server.baseUrl, params)).status).toBe(200);
    const replayed = await token(server.baseUrl, params);
    expect(replayed.status).toBe(400);
    expect(replayed.body['error']).toBe('invalid_grant');
  });

  it('the hosted page refuses calls from another origin or without a signed-in session', async () => {
    const browser = new Browser(server.baseUrl);
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    expect((await browser.request(`${page}/session`, { json: {}, headers: { origin: 'https://chatgpt.com' } })).status).toBe(403);
    expect((await browser.request(`${page}/login`, { json: { sessionId: 'sess_AAAAAAAAAAAAAAAAAAAAAAAA' } })).status).toBe(401);
    // Another browser (no interaction cookie) cannot use this interaction.
    const stranger = await new Browser(server.baseUrl).request(`${page}/details`);
    expect(stranger.status).toBe(400);
    expect(await stranger.json()).toEqual({ error: 'interaction_expired', message: INTERACTION_EXPIRED_MESSAGE });
    // Nor can this browser use another interaction's id.
    expect((await browser.request('/interaction/AnotherUid123/details')).status).toBe(400);
  });

  it('refuses every POST from another origin or with no origin, and steps asked at the wrong prompt', async () => {
    const browser = new Browser(server.baseUrl);
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    for (const step of ['session', 'login', 'consent', 'deny']) {
      const refused = await browser.request(`${page}/${step}`, { json: {}, headers: { origin: 'https://chatgpt.com' } });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: 'forbidden', message: 'This request must come from the sign-in page.' });
    }
    const noOrigin = await fetch(`${server.baseUrl}${page}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noOrigin.status).toBe(403);
    // Consent before signing in; a session id that is not a string.
    const early = await browser.request(`${page}/consent`, { json: {} });
    expect(early.status).toBe(409);
    expect(await early.json()).toEqual({ error: 'invalid_request', message: 'Sign in first.' });
    const notString = await browser.request(`${page}/login`, { json: { sessionId: 42 } });
    expect(notString.status).toBe(401);
    expect(await notString.json()).toEqual({ error: 'not_signed_in', message: 'Sign in first.' });
    // Signed in, at consent: no second sign-in session.
    const consentPage = await signInOnPage(browser, page);
    const again = await browser.request(`${consentPage}/session`, { json: {} });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'invalid_request', message: 'You are already signed in.' });
  });

  it('a signed-in session is handed over once', async () => {
    const browser = new Browser(server.baseUrl);
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    const { sessionId } = (await (await browser.request(`${page}/session`, { json: {} })).json()) as { sessionId: string };
    await browser.request('/api/session/credentials', { json: { sessionId, email: 'ada@example.com', password: 'x' } });
    await browser.request('/api/session/authenticate', { json: { sessionId, code: '123456' } });
    expect((await browser.request(`${page}/login`, { json: { sessionId } })).status).toBe(200);
    const other = new Browser(server.baseUrl);
    const otherPage = await followTo(other, authorizationUrl(server.baseUrl, { clientId, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    expect((await other.request(`${otherPage}/login`, { json: { sessionId } })).status).toBe(401);
  });

  it('the person can decline: the app gets access_denied', async () => {
    const client = await register(server.baseUrl);
    const browser = new Browser(server.baseUrl);
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    const consentPage = await signInOnPage(browser, page);
    const details = (await (await browser.request(`${consentPage}/details`)).json()) as Record<string, unknown>;
    expect(details).toMatchObject({ prompt: 'consent', client: { name: 'Test client' }, account: { name: 'Lauren Bailey', email: 'ada@example.com' } });
    const denied = await browser.request(`${consentPage}/deny`, { json: {} });
    const back = await followTo(browser, ((await denied.json()) as { redirectTo: string }).redirectTo);
    expect(new URL(back).searchParams.get('error')).toBe('access_denied');
  });
});

describe('clients', () => {
  it("names a registered client without client_name 'An app', unverified, with the redirect host, and gives a client without refresh_token no refresh token", async () => {
    const client = await register(server.baseUrl, { client_name: undefined, grant_types: ['authorization_code'] });
    expect(client.client_id).toMatch(/^dcr_[A-Za-z0-9_-]{24}$/);
    const browser = new Browser(server.baseUrl);
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    expect(await (await browser.request(`${page}/details`)).json()).toEqual({ prompt: 'login', client: { name: 'An app', verified: false, redirectHost: '127.0.0.1:9' }, providers: [{ id: 'demo', name: 'Demo ID' }] });
    const tokens = await linkedTokens(server, client);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('gives every registration a random id, and a confidential one a random secret that is never handed out again', async () => {
    const confidential = { client_name: 'Secret', token_endpoint_auth_method: 'client_secret_basic' };
    const a = await register(server.baseUrl, confidential);
    const b = await register(server.baseUrl, confidential);
    expect(a.client_id).toMatch(/^dcr_[A-Za-z0-9_-]{24}$/);
    expect(b.client_id).not.toBe(a.client_id);
    expect(a.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.client_secret).not.toBe(a.client_secret);
    const publicClient = await register(server.baseUrl, { client_name: 'Public' });
    expect(publicClient).not.toHaveProperty('client_secret');
  });

  it.each([
    ['ChatGPT', 'https://chatgpt.com/connector/oauth/cb_123'],
    ['ChatGPT (legacy)', 'https://chatgpt.com/connector_platform_oauth_redirect'],
    ['Claude', 'https://claude.ai/api/mcp/auth_callback'],
    ['the MCP Inspector', 'http://localhost:6274/oauth/callback'],
  ])("accepts %s's redirect URI", async (_host, redirectUri) => {
    const client = await register(server.baseUrl, { redirect_uris: [redirectUri], client_name: `client for ${redirectUri}` });
    const answer = await authorize({ clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256', redirectUri });
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^\/interaction\//);
  });

  it('rate-limits registrations per address', async () => {
    const limited = await startLinkingServer({ REGISTRATIONS_PER_HOUR: '2' });
    try {
      await register(limited.baseUrl, { client_name: 'one' });
      await register(limited.baseUrl, { client_name: 'two' });
      const third = await fetch(`${limited.baseUrl}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'three', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
      });
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  describe('client ID metadata documents', () => {
    const CIMD = 'https://client.example/oauth/metadata.json';
    const documents = new Map<string, string>();
    const fetched: string[] = [];
    let cimdServer: LinkingServer;
    /** Serves the test's documents for https://client.example/… without the network (oidc-provider's own fetch refuses loopback). */
    const cimdFetch: Configuration['fetch'] = async (url) => {
      const href = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
      fetched.push(href);
      const body = documents.get(href);
      return body === undefined ? new Response('not found', { status: 404 }) : new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': 'max-age=3600' } });
    };
    const document = (id: string, extra: object = {}) =>
      JSON.stringify({ client_id: id, client_name: 'Metadata Client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none', ...extra });
    const authorizeAt = (clientId: string) =>
      new Browser(cimdServer.baseUrl).request(authorizationUrl(cimdServer.baseUrl, { clientId, resource: cimdServer.resource, challenge: pkce().challenge, method: 'S256' }));

    beforeAll(async () => {
      cimdServer = await startLinkingServer({}, { cimdFetch });
    });

    afterAll(async () => {
      await cimdServer.close();
    });

    it('links a client whose id is its metadata document URL, fetching the document once while its cache lasts', async () => {
      documents.set(CIMD, document(CIMD));
      const tokens = await linkedTokens(cimdServer, { client_id: CIMD, redirect_uris: [REDIRECT_URI] });
      expect((await mcp(cimdServer.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);
      expect((await authorizeAt(CIMD)).status).toBe(303);
      expect(fetched.filter((url) => url === CIMD)).toHaveLength(1);
    });

    it('refuses a document over 5 KB', async () => {
      const big = 'https://client.example/oauth/big.json';
      documents.set(big, document(big, { client_name: 'x'.repeat(6000) }));
      const response = await authorizeAt(big);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    });

    it('refuses a document whose client_id is not its own URL, and one with a shared secret', async () => {
      const liar = 'https://client.example/oauth/liar.json';
      documents.set(liar, document('https://other.example/client.json'));
      expect((await authorizeAt(liar)).status).toBe(400);
      const secretive = 'https://client.example/oauth/secret.json';
      documents.set(secretive, document(secretive, { token_endpoint_auth_method: 'client_secret_basic' }));
      expect((await authorizeAt(secretive)).status).toBe(400);
    });
  });

  it('refuses a client id that is an http:// URL', async () => {
    const response = await new Browser(server.baseUrl).request(
      authorizationUrl(server.baseUrl, { clientId: 'http://client.example/c.json', resource: server.resource, challenge: pkce().challenge, method: 'S256' }),
    );
    expect(response.status).toBe(400);
  });
});

describe('REQUIRE_AUTH=true', () => {
  let strict: LinkingServer;

  beforeAll(async () => {
    strict = await startLinkingServer({ REQUIRE_AUTH: 'true' });
  });

  afterAll(async () => {
    await strict.close();
  });

  it('answers every unauthenticated /mcp request with 401 and a challenge without an error code', async () => {
    const answer = await mcp(strict.baseUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(answer.status).toBe(401);
    expect(answer.wwwAuthenticate).toBe(`Bearer resource_metadata="${strict.baseUrl}/.well-known/oauth-protected-resource/mcp", scope="account:read"`);
    const sse = await fetch(`${strict.baseUrl}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(sse.status).toBe(401);
  });

  it('serves requests that carry a valid token', async () => {
    const tokens = await linkedTokens(strict, await register(strict.baseUrl));
    expect((await mcp(strict.baseUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, tokens.access_token)).status).toBe(200);
  });
});
