/**
 * Account linking that cannot be hijacked or spoofed (demo accounts, memory
 * store): a hand-over belongs to the browser that signed in, the consent
 * screen names who receives the code, consent is remembered per redirect URI,
 * redirect URIs follow OAuth 2.1, registered secrets are random and work only
 * as themselves, and a retried refresh never forks the family.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Configuration } from 'oidc-provider';
import { ToolName } from '@target-auth/shared/tools';
import { call, connectV2 } from './helpers.js';
import {
  authorizationUrl,
  Browser,
  type ClientRegistration,
  followTo,
  link,
  linkedTokens,
  type LinkingServer,
  pkce,
  REDIRECT_URI,
  register,
  signInOnPage,
  startLinkingServer,
  token,
} from './oauth.js';

let server: LinkingServer;
const documents = new Map<string, string>();
/** The suite's own metadata documents, served without the network (the test-only allowance; the guard is tested in linking-ssrf). */
const cimdFetch: Configuration['fetch'] = async (url) => {
  const body = documents.get(typeof url === 'string' ? url : url instanceof URL ? url.href : url.url);
  return body === undefined ? new Response('not found', { status: 404 }) : new Response(body, { headers: { 'content-type': 'application/json' } });
};

beforeAll(async () => {
  server = await startLinkingServer({}, { cimdFetch });
});

afterAll(async () => {
  await server.close();
});

/** An interaction started by `browser` for `client`, at its sign-in page. */
async function interactionFor(browser: Browser, client: ClientRegistration, redirectUri = REDIRECT_URI): Promise<string> {
  const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, redirectUri, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
  expect(page).toMatch(/^\/interaction\//);
  return page;
}

/** A sign-in made in a chat (the assistant and the host see its sessionId). */
async function chatSignIn(): Promise<{ sessionId: string; status: () => Promise<unknown>; close: () => Promise<void> }> {
  const client = await connectV2(server.baseUrl);
  const sessionId = (await call(client, ToolName.createSession)).structuredContent!['sessionId'] as string;
  await call(client, ToolName.submitCredentials, { sessionId, email: 'victim@example.com', password: 'anything' });
  await call(client, ToolName.verifyCode, { sessionId, code: '123456' });
  return { sessionId, status: async () => (await call(client, ToolName.authStatus, { sessionId })).structuredContent, close: () => client.close() };
}

describe('a hand-over belongs to the browser that signed in', () => {
  it("refuses a chat sign-in's sessionId at another interaction's login, and leaves the chat signed in", async () => {
    const chat = await chatSignIn();
    try {
      const attacker = new Browser(server.baseUrl);
      const page = await interactionFor(attacker, await register(server.baseUrl, { client_name: 'Attacker' }));
      const login = await attacker.request(`${page}/login`, { json: { sessionId: chat.sessionId } });
      expect({ status: login.status, body: await login.json() }).toEqual({ status: 401, body: { error: 'not_signed_in', message: 'Sign in first.' } });
      expect(await chat.status()).toMatchObject({ authenticated: true, email: 'victim@example.com' });
      expect(await (await attacker.request(`${page}/details`)).json()).toMatchObject({ prompt: 'login' });
    } finally {
      await chat.close();
    }
  });

  it("refuses a session another interaction's page opened, and an unknown id, alike; the owner's page then takes its own", async () => {
    const client = await register(server.baseUrl);
    const victim = new Browser(server.baseUrl);
    const victimPage = await interactionFor(victim, client);
    const opened = (await (await victim.request(`${victimPage}/session`, { json: {} })).json()) as { sessionId: string };
    await victim.request('/api/session/credentials', { json: { sessionId: opened.sessionId, email: 'victim@example.com', password: 'x' } });
    await victim.request('/api/session/authenticate', { json: { sessionId: opened.sessionId, code: '123456' } });
    const attacker = new Browser(server.baseUrl);
    const attackerPage = await interactionFor(attacker, client);
    for (const sessionId of [opened.sessionId, 'sess_AAAAAAAAAAAAAAAAAAAAAAAA', 'not a session']) {
      const login = await attacker.request(`${attackerPage}/login`, { json: { sessionId } });
      expect({ status: login.status, body: await login.json() }).toEqual({ status: 401, body: { error: 'not_signed_in', message: 'Sign in first.' } });
    }
    const own = await victim.request(`${victimPage}/login`, { json: { sessionId: opened.sessionId } });
    expect(own.status).toBe(200);
  });

  it("refuses the owner's own page a session of the same browser's other interaction", async () => {
    const browser = new Browser(server.baseUrl);
    const first = await interactionFor(browser, await register(server.baseUrl));
    const { sessionId } = (await (await browser.request(`${first}/session`, { json: {} })).json()) as { sessionId: string };
    await browser.request('/api/session/credentials', { json: { sessionId, email: 'victim@example.com', password: 'x' } });
    await browser.request('/api/session/authenticate', { json: { sessionId, code: '123456' } });
    // The session belongs to the first interaction, even in the same browser.
    const second = await interactionFor(browser, await register(server.baseUrl));
    expect((await browser.request(`${second}/login`, { json: { sessionId } })).status).toBe(401);
  });
});

describe('consent names who receives the code', () => {
  const detailsAfterSignIn = async (client: ClientRegistration, redirectUri = REDIRECT_URI) => {
    const browser = new Browser(server.baseUrl);
    const page = await interactionFor(browser, client, redirectUri);
    const consent = await signInOnPage(browser, page);
    return { browser, consent, details: (await (await browser.request(`${consent}/details`)).json()) as Record<string, unknown> };
  };

  it('shows a client calling itself ChatGPT, with chatgpt.com as its home page, as unverified, and evil.example as the receiver', async () => {
    const spoof = await register(server.baseUrl, {
      client_name: 'ChatGPT',
      client_uri: 'https://chatgpt.com',
      logo_uri: 'https://chatgpt.com/logo.png',
      redirect_uris: ['https://evil.example/steal'],
    });
    const { details } = await detailsAfterSignIn(spoof, 'https://evil.example/steal');
    expect(details).toEqual({ prompt: 'consent', client: { name: 'ChatGPT', verified: false, redirectHost: 'evil.example' }, account: { name: 'Lauren Bailey', email: 'ada@example.com' } });
    expect(JSON.stringify(details)).not.toContain('chatgpt.com');
  });

  it("names ChatGPT only for ChatGPT's documented callback", async () => {
    const callback = 'https://chatgpt.com/connector/oauth/cb_9f8e7d';
    const real = await register(server.baseUrl, { client_name: 'Anything at all', redirect_uris: [callback] });
    expect((await detailsAfterSignIn(real, callback)).details['client']).toEqual({ name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com' });
  });

  it('names a metadata-document client by its document host, whatever client_name says', async () => {
    const id = 'https://tools.example.org/oauth/client.json';
    documents.set(id, JSON.stringify({ client_id: id, client_name: 'Claude', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }));
    expect((await detailsAfterSignIn({ client_id: id, redirect_uris: [REDIRECT_URI] })).details['client']).toEqual({ name: 'tools.example.org', verified: true, redirectHost: '127.0.0.1:9' });
  });

  it('remembers consent per redirect URI: another redirect URI of the same client asks again', async () => {
    const other = 'http://127.0.0.1:10/other-callback';
    const client = await register(server.baseUrl, { redirect_uris: [REDIRECT_URI, other] });
    const { browser } = await link(server, client);
    // The same browser, signed in: the consented redirect URI goes straight back with a code.
    const again = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    expect(new URL(again).searchParams.get('code')).toBeTruthy();
    const elsewhere = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, redirectUri: other, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    expect(elsewhere).toMatch(/^\/interaction\//);
    expect(await (await browser.request(`${elsewhere}/details`)).json()).toMatchObject({ prompt: 'consent', client: { redirectHost: '127.0.0.1:10' } });
  });

  it('Cancel sends the client back with access_denied and leaves no grant or remembered consent', async () => {
    const client = await register(server.baseUrl);
    const { browser, consent } = await detailsAfterSignIn(client);
    const denied = await browser.request(`${consent}/deny`, { json: {} });
    const back = new URL(await followTo(browser, ((await denied.json()) as { redirectTo: string }).redirectTo));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
    // Nothing was remembered: the next request asks for consent again.
    const next = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    expect(await (await browser.request(`${next}/details`)).json()).toMatchObject({ prompt: 'consent' });
  });
});

describe('redirect URIs (OAuth 2.1, RFC 8252)', () => {
  const registration = (metadata: object) =>
    fetch(`${server.baseUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Redirects', token_endpoint_auth_method: 'none', ...metadata }),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));

  it.each([
    ['plain http to another host', 'http://evil.example/cb'],
    ['a wildcard', 'https://*.example.com/cb'],
    ['a fragment', 'https://app.example/cb#x'],
    ['user information', 'https://user@app.example/cb'],
    ['a private-use scheme without a period', 'myapp:/cb'],
  ])('refuses %s with invalid_redirect_uri', async (_kind, uri) => {
    const refused = await registration({ redirect_uris: [uri], application_type: uri.startsWith('myapp') ? 'native' : 'web' });
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_redirect_uri' } });
  });

  it('registers https, http on loopback with any port, and a reverse-domain scheme for a native app', async () => {
    expect((await registration({ redirect_uris: ['https://app.example/cb', 'http://127.0.0.1:53682/cb', 'http://[::1]:8080/cb', 'http://localhost:6274/oauth/callback'] })).status).toBe(201);
    expect((await registration({ application_type: 'native', redirect_uris: ['com.example.app:/oauth2redirect'] })).status).toBe(201);
  });

  it('refuses a metadata document that declares a plain-http redirect URI', async () => {
    const id = 'https://tools.example.org/oauth/http-redirect.json';
    documents.set(id, JSON.stringify({ client_id: id, client_name: 'Http', redirect_uris: ['http://evil.example/cb'], token_endpoint_auth_method: 'none' }));
    const response = await new Browser(server.baseUrl).request(authorizationUrl(server.baseUrl, { clientId: id, redirectUri: 'http://evil.example/cb', resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('confidential clients', () => {
  it('authenticate with the random secret they were given, and with nothing else', async () => {
    const client = await register(server.baseUrl, { token_endpoint_auth_method: 'client_secret_basic' });
    const exchange = async (secret: string) => {
      const { redirect, pkce: codes } = await link(server, client);
      const response = await fetch(`${server.baseUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: redirect.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: codes.verifier, resource: server.resource }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await exchange(client.client_secret!)).toMatchObject({ status: 200, body: { access_token: expect.any(String) } });
    expect(await exchange(`${client.client_secret!}x`)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    // Registering the same metadata again hands out another client and secret, never this one's.
    const again = await register(server.baseUrl, { token_endpoint_auth_method: 'client_secret_basic' });
    expect(again.client_secret).not.toBe(client.client_secret);
  });
});

describe('a retried refresh never forks the family', () => {
  const refresh = (client: ClientRegistration, refreshToken: string) =>
    token(server.baseUrl, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.client_id, resource: server.resource });

  it('gives the same successor to a retry of a rotated token within the grace, and the chain goes on from it alone', async () => {
    const client = await register(server.baseUrl);
    const first = await linkedTokens(server, client);
    const rotated = await refresh(client, first.refresh_token!);
    const retried = await refresh(client, first.refresh_token!);
    expect(rotated.status).toBe(200);
    expect(retried.status).toBe(200);
    expect(retried.body['refresh_token']).toBe(rotated.body['refresh_token']);
    expect(retried.body['access_token']).not.toBe(rotated.body['access_token']);
    const next = await refresh(client, rotated.body['refresh_token'] as string);
    expect(next.status).toBe(200);
    // The successor has moved on: the old token again is a replay, and the whole family goes.
    const replay = await refresh(client, first.refresh_token!);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(client, next.body['refresh_token'] as string)).body['error']).toBe('invalid_grant');
  });

  it('gives every one of 10 parallel uses of one token the same successor', async () => {
    const client = await register(server.baseUrl);
    const first = await linkedTokens(server, client);
    const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(client, first.refresh_token!)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(answers.map((answer) => answer.body['refresh_token'])).size).toBe(1);
    expect((await refresh(client, answers[0]!.body['refresh_token'] as string)).status).toBe(200);
  });

  it('after the grace, a rotated token used again revokes the family', async () => {
    const strict = await startLinkingServer({}, { refreshReuseGraceSeconds: 1 });
    try {
      const client = await register(strict.baseUrl);
      const first = await linkedTokens(strict, client);
      const use = (value: string) => token(strict.baseUrl, { grant_type: 'refresh_token', refresh_token: value, client_id: client.client_id, resource: strict.resource });
      const rotated = await use(first.refresh_token!);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await use(first.refresh_token!)).body['error']).toBe('invalid_grant');
      expect((await use(rotated.body['refresh_token'] as string)).body['error']).toBe('invalid_grant');
    } finally {
      await strict.close();
    }
  });
});
