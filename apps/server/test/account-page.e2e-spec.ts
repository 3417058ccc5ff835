/**
 * The account page over HTTP (demo accounts): signing in on a session bound
 * to the browser, the connected apps an account linked (and only its own),
 * Revoke ending an app's tokens at once and its consent, signing out here and
 * everywhere, and the page's protections (same-origin JSON posts, strict
 * cookies, no framing).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AccountStatus, ConnectedApp } from '@target-auth/shared/account';
import { SessionService } from '../src/session/session.service.js';
import { authorizationUrl, Browser, callTool, type ClientRegistration, followTo, linkedTokens, type LinkingServer, mcp, pkce, register, signInOnPage, startLinkingServer, token } from './oauth.js';

let server: LinkingServer;

beforeAll(async () => {
  server = await startLinkingServer();
});

afterAll(async () => {
  await server.close();
});

/** Signs `browser` in on the account page as `email` (demo: any password, any code). */
async function signInOnAccountPage(browser: Browser, email = 'ada@example.com'): Promise<AccountStatus> {
  const opened = await browser.request('/account/api/session', { json: {} });
  expect(opened.status).toBe(201);
  const { sessionId } = (await opened.json()) as { sessionId: string };
  expect((await browser.request('/api/session/credentials', { json: { sessionId, email, password: 'anything' } })).status).toBe(200);
  expect((await browser.request('/api/session/authenticate', { json: { sessionId, code: '123456' } })).status).toBe(200);
  const login = await browser.request('/account/api/login', { json: { sessionId } });
  expect(login.status).toBe(200);
  return (await login.json()) as AccountStatus;
}

async function apps(browser: Browser): Promise<ConnectedApp[]> {
  const response = await browser.request('/account/api/apps');
  expect(response.status).toBe(200);
  return ((await response.json()) as { apps: ConnectedApp[] }).apps;
}

const refresh = (client: ClientRegistration, refreshToken: string) =>
  token(server.baseUrl, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.client_id, resource: server.resource });

describe('the account page', () => {
  it('is one page under a strict CSP that no site can frame', async () => {
    const response = await fetch(`${server.baseUrl}/account`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Your Target account</title>');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('signs in with the widget steps on a session only this browser can take over, with a strict cookie', async () => {
    const browser = new Browser(server.baseUrl);
    expect(await (await browser.request('/account/api/status')).json()).toEqual({ signedIn: false });
    expect(await (await browser.request('/account/api/apps')).json()).toEqual({ error: 'not_signed_in', message: 'Sign in to see your account.' });

    const opened = await browser.request('/account/api/session', { json: {} });
    const binding = opened.headers.getSetCookie().join('\n');
    expect(binding).toMatch(/^target_account_signin=[A-Za-z0-9_-]{32}; Path=\/account; Max-Age=900; HttpOnly; SameSite=Strict$/);
    const { sessionId } = (await opened.json()) as { sessionId: string };
    await browser.request('/api/session/credentials', { json: { sessionId, email: 'ada@example.com', password: 'x' } });
    await browser.request('/api/session/authenticate', { json: { sessionId, code: '123456' } });

    // Another browser that knows the session id cannot take it over.
    const other = new Browser(server.baseUrl);
    await other.request('/account/api/session', { json: {} });
    const stolen = await other.request('/account/api/login', { json: { sessionId } });
    expect(stolen.status).toBe(401);
    expect(await stolen.json()).toEqual({ error: 'not_signed_in', message: 'That sign-in did not finish here. Sign in again.' });

    const before = Date.now();
    const login = await browser.request('/account/api/login', { json: { sessionId } });
    expect(login.status).toBe(200);
    const status = (await login.json()) as AccountStatus;
    expect(status).toEqual({ signedIn: true, account: { name: 'Lauren Bailey', email: 'ada@example.com', profile: null, authenticator: false, recentUntil: expect.any(Number) } });
    if (status.signedIn) expect(status.account.recentUntil - before).toBeGreaterThanOrEqual(10 * 60 * 1000 - 5);
    const cookies = login.headers.getSetCookie();
    expect(cookies[0]).toMatch(/^target_account=v1\.[^;]+; Path=\/account; Max-Age=3600; HttpOnly; SameSite=Strict$/);
    expect(cookies[1]).toBe('target_account_signin=; Path=/account; Max-Age=0; HttpOnly; SameSite=Strict');
    expect(await (await browser.request('/account/api/status')).json()).toEqual(status);
    // The session was spent taking it over.
    expect((await browser.request('/account/api/login', { json: { sessionId } })).status).toBe(401);
  });

  it('never takes over a session opened elsewhere (a chat, or the hosted page)', async () => {
    const browser = new Browser(server.baseUrl);
    await browser.request('/account/api/session', { json: {} });
    const chat = await server.app.get(SessionService).create();
    await browser.request('/api/session/credentials', { json: { sessionId: chat.sessionId, email: 'ada@example.com', password: 'x' } });
    await browser.request('/api/session/authenticate', { json: { sessionId: chat.sessionId, code: '123456' } });
    expect((await browser.request('/account/api/login', { json: { sessionId: chat.sessionId } })).status).toBe(401);
    expect((await browser.request('/account/api/login', { json: {} })).status).toBe(401);
  });

  it('refuses posts from other origins, without a JSON body, and ignores a forged cookie', async () => {
    const browser = new Browser(server.baseUrl);
    await signInOnAccountPage(browser);
    const client = await register(server.baseUrl);
    await linkedTokens(server, client);
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }]) {
      const refused = await browser.request('/account/api/apps/revoke', { json: { clientId: client.client_id }, headers });
      expect(refused.status).toBe(403);
    }
    const asForm = await browser.request('/account/api/sign-out-everywhere', { body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(asForm.status).toBe(415);
    const forged = await fetch(`${server.baseUrl}/account/api/status`, { headers: { cookie: 'target_account=v1.AAAA.BBBB.CCCC' } });
    expect(await forged.json()).toEqual({ signedIn: false });
    expect(await (await browser.request('/account/api/status')).json()).toMatchObject({ signedIn: true });
  });
});

describe('connected apps', () => {
  it("lists the apps the account linked, and only its own, with what they can do and when they were last used", async () => {
    const email = 'grace@example.com';
    const client = await register(server.baseUrl, { client_name: 'Grace’s notes' });
    const before = Date.now();
    await linkedTokens(server, client, { email, password: 'x' });
    const elsewhere = await register(server.baseUrl, { client_name: 'Someone else’s app' });
    await linkedTokens(server, elsewhere, { email: 'other@example.com', password: 'x' });

    const browser = new Browser(server.baseUrl);
    await signInOnAccountPage(browser, email);
    const listed = await apps(browser);
    expect(listed).toEqual([
      {
        clientId: client.client_id,
        client: { name: 'Grace’s notes', verified: false, redirectHost: '127.0.0.1:9' },
        access: ['See your name and e-mail address'],
        linkedAt: expect.any(Number),
        lastUsedAt: expect.any(Number),
      },
    ]);
    expect(listed[0]!.linkedAt).toBeGreaterThanOrEqual(before);
    expect(listed[0]!.lastUsedAt).toBeGreaterThanOrEqual(listed[0]!.linkedAt);
  });

  it('Revoke ends the app at once: its next /mcp call is 401, its refresh fails, and linking again asks for consent', async () => {
    const email = 'revoke@example.com';
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client, { email, password: 'x' });
    const kept = await register(server.baseUrl, { client_name: 'Kept' });
    const keptTokens = await linkedTokens(server, kept, { email, password: 'x' });
    expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);

    const browser = new Browser(server.baseUrl);
    await signInOnAccountPage(browser, email);
    expect((await apps(browser)).map((app) => app.clientId)).toEqual([kept.client_id, client.client_id]);
    const revoked = await browser.request('/account/api/apps/revoke', { json: { clientId: client.client_id } });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { apps: ConnectedApp[] }).apps.map((app) => app.clientId)).toEqual([kept.client_id]);

    const call = await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token);
    expect(call.status).toBe(401);
    expect(call.wwwAuthenticate).toContain('invalid_token');
    expect(await refresh(client, tokens.refresh_token!)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The other app goes on.
    expect((await mcp(server.baseUrl, callTool('get-target-account'), keptTokens.access_token)).status).toBe(200);
    expect((await refresh(kept, keptTokens.refresh_token!)).status).toBe(200);

    // Linking the revoked app again (same browser session at the authorization server or not) shows consent.
    const again = new Browser(server.baseUrl);
    const page = await followTo(again, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    const consentPage = await signInOnPage(again, page, { email, password: 'x' });
    expect(await (await again.request(`${consentPage}/details`)).json()).toMatchObject({ prompt: 'consent' });

    const unknown = await browser.request('/account/api/apps/revoke', { json: { clientId: client.client_id } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'not_found', message: 'That app is not connected to your account.' });
  });

  it("cannot revoke another account's app", async () => {
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client, { email: 'owner@example.com', password: 'x' });
    const browser = new Browser(server.baseUrl);
    await signInOnAccountPage(browser, 'intruder@example.com');
    expect((await browser.request('/account/api/apps/revoke', { json: { clientId: client.client_id } })).status).toBe(404);
    expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);
  });
});

describe('upstream sign-in on the account page', () => {
  it('offers the providers, goes to one and comes back to /account, where the page takes the sign-in over', async () => {
    const browser = new Browser(server.baseUrl);
    const opened = (await (await browser.request('/account/api/session', { json: {} })).json()) as { sessionId: string; providers: { id: string; name: string }[] };
    expect(opened.providers).toEqual([{ id: 'demo', name: 'Demo ID' }]);
    const begun = await browser.request('/account/api/upstream/demo', { json: { sessionId: opened.sessionId } });
    expect(begun.status).toBe(200);
    expect(begun.headers.getSetCookie()[0]).toMatch(/^target_upstream=[^;]+; Path=\/auth\/callback;/);
    const { redirectTo } = (await begun.json()) as { redirectTo: string };
    const demoPage = await followTo(browser, redirectTo);
    expect(demoPage).toMatch(/^\/demo-idp\/interaction\//);
    const typed = await browser.request(demoPage, { body: new URLSearchParams({ name: 'Grace Hopper', email: 'grace.upstream@example.com' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(await followTo(browser, typed.headers.get('location')!)).toBe('/account');
    expect(await (await browser.request('/api/session/open', { json: { sessionId: opened.sessionId } })).json()).toMatchObject({ authenticated: true, email: 'grace.upstream@example.com' });
    const login = await browser.request('/account/api/login', { json: { sessionId: opened.sessionId } });
    expect(await login.json()).toMatchObject({ signedIn: true, account: { name: 'Grace Hopper', email: 'grace.upstream@example.com' } });
  });

  it("refuses to send another browser's sign-in, or an unknown provider", async () => {
    const owner = new Browser(server.baseUrl);
    const { sessionId } = (await (await owner.request('/account/api/session', { json: {} })).json()) as { sessionId: string };
    const stranger = new Browser(server.baseUrl);
    await stranger.request('/account/api/session', { json: {} });
    expect((await stranger.request('/account/api/upstream/demo', { json: { sessionId } })).status).toBe(400);
    const unknown = await owner.request('/account/api/upstream/nowhere', { json: { sessionId } });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('authenticator apps and household profiles in demo mode', () => {
  it('no household profiles: the list is empty and adding one says why', async () => {
    const browser = new Browser(server.baseUrl);
    await signInOnAccountPage(browser);
    expect(await (await browser.request('/account/api/profiles')).json()).toEqual({ profiles: [] });
    const added = await browser.request('/account/api/profiles', { json: { name: 'Kim' } });
    expect(added.status).toBe(409);
    expect(await added.json()).toEqual({ error: 'not_available', message: 'Demo mode has no household profiles. Sign in to a real account to add one.' });
  });

  it('are not offered: demo mode keeps none', async () => {
    const browser = new Browser(server.baseUrl);
    await signInOnAccountPage(browser);
    const setup = await browser.request('/account/api/authenticator/setup', { json: {} });
    expect(setup.status).toBe(409);
    expect(await setup.json()).toEqual({ error: 'not_available', message: 'Demo mode has no authenticator apps. Sign in to a real account to set one up.' });
    expect(setup.headers.getSetCookie()).toEqual([]);
  });
});

describe('signing out', () => {
  it('sign out ends the page only', async () => {
    const email = 'leave@example.com';
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client, { email, password: 'x' });
    const browser = new Browser(server.baseUrl);
    await signInOnAccountPage(browser, email);
    const out = await browser.request('/account/api/sign-out', { json: {} });
    expect(await out.json()).toEqual({ signedIn: false });
    expect(out.headers.getSetCookie()).toEqual(['target_account=; Path=/account; Max-Age=0; HttpOnly; SameSite=Strict']);
    expect(await (await browser.request('/account/api/status')).json()).toEqual({ signedIn: false });
    expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);
  });

  it("sign out everywhere ends the account's apps' tokens, its chats' sign-ins and every page, but not other accounts'", async () => {
    const email = 'everywhere@example.com';
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client, { email, password: 'x' });
    const bystander = await linkedTokens(server, client, { email: 'bystander@example.com', password: 'x' });
    const chat = new Browser(server.baseUrl);
    const { sessionId } = await server.app.get(SessionService).create();
    await chat.request('/api/session/credentials', { json: { sessionId, email, password: 'x' } });
    await chat.request('/api/session/authenticate', { json: { sessionId, code: '123456' } });
    const [browser, otherTab] = [new Browser(server.baseUrl), new Browser(server.baseUrl)];
    await signInOnAccountPage(browser, email);
    await signInOnAccountPage(otherTab, email);

    const out = await browser.request('/account/api/sign-out-everywhere', { json: {} });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedIn: false });
    expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(401);
    expect((await refresh(client, tokens.refresh_token!)).status).toBe(400);
    expect(await server.app.get(SessionService).view(sessionId)).toEqual({ state: 'expired' });
    expect(await (await otherTab.request('/account/api/status')).json()).toEqual({ signedIn: false });
    expect((await mcp(server.baseUrl, callTool('get-target-account'), bystander.access_token)).status).toBe(200);
    // Signing in again works, and the app is still listed (its grant stands: it links again without consent).
    await signInOnAccountPage(browser, email);
    expect((await apps(browser)).map((app) => app.clientId)).toEqual([client.client_id]);
  });
});
