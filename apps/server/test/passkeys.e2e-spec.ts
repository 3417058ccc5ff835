/**
 * Passkeys over HTTP (demo mode), with a software authenticator standing in
 * for the browser's: registered on the account page, then signing in with no
 * password or code on the account page, on the hosted page (linking, then
 * get-target-account) and from a chat (its start link and code, then the
 * passkey page); replayed, cloned, removed, foreign or misdirected answers
 * refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PasskeyView } from '@target-auth/shared/account';
import { ToolName } from '@target-auth/shared/tools';
import { SoftAuthenticator } from '../src/testing/soft-authenticator.js';
import { authorizationUrl, Browser, callTool, followTo, type LinkingServer, mcp, pkce, REDIRECT_URI, register, startLinkingServer, token } from './oauth.js';

let server: LinkingServer;
let origin: string;

beforeAll(async () => {
  server = await startLinkingServer();
  origin = server.baseUrl;
});

afterAll(async () => {
  await server.close();
});

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

async function signInWithPassword(browser: Browser, email: string): Promise<void> {
  const { sessionId } = await json<{ sessionId: string }>(await browser.request('/account/api/session', { json: {} }));
  await browser.request('/api/session/credentials', { json: { sessionId, email, password: 'x' } });
  await browser.request('/api/session/authenticate', { json: { sessionId, code: '123456' } });
  expect((await browser.request('/account/api/login', { json: { sessionId } })).status).toBe(200);
}

/** A passkey for `email`, registered on the account page in a browser signed in with a password. */
async function registeredPasskey(email: string, name = 'Laptop'): Promise<{ authenticator: SoftAuthenticator; page: Browser }> {
  const page = new Browser(origin);
  await signInWithPassword(page, email);
  const authenticator = new SoftAuthenticator(origin, new URL(origin).hostname);
  const options = await json<{ challenge: string; user: { id: string } }>(await page.request('/account/api/passkeys/options', { json: {} }));
  const added = await page.request('/account/api/passkeys', { json: { name, response: authenticator.register({ challenge: options.challenge, userId: options.user.id }) } });
  expect(added.status).toBe(200);
  return { authenticator, page };
}

/** Signs a new account-page sign-in in with the passkey: the answer of the passkey step. */
async function passkeyOnAccountPage(browser: Browser, authenticator: SoftAuthenticator, change?: (assertion: object) => object) {
  const { sessionId } = await json<{ sessionId: string }>(await browser.request('/account/api/session', { json: {} }));
  const options = await json<{ challenge: string }>(await browser.request('/account/api/passkey/options', { json: { sessionId } }));
  const assertion = authenticator.assert({ challenge: options.challenge });
  const answer = await browser.request('/account/api/passkey', { json: { sessionId, response: change ? change(assertion) : assertion } });
  return { sessionId, assertion, status: answer.status, body: await json<Record<string, unknown>>(answer) };
}

describe('passkeys on the account page', () => {
  it('registers a passkey (recent sign-in, same origin), lists, renames and removes it', async () => {
    const { authenticator, page } = await registeredPasskey('keys@example.com');
    const listed = await json<{ passkeys: PasskeyView[] }>(await page.request('/account/api/passkeys'));
    expect(listed.passkeys).toEqual([{ id: authenticator.id, name: 'Laptop', synced: false, createdAt: expect.any(Number), lastUsedAt: null }]);
    const renamed = await json<{ passkeys: PasskeyView[] }>(await page.request('/account/api/passkeys/rename', { json: { id: authenticator.id, name: '  Work laptop  ' } }));
    expect(renamed.passkeys.map((passkey) => passkey.name)).toEqual(['Work laptop']);
    expect((await page.request('/account/api/passkeys/rename', { json: { id: 'nope', name: 'x' } })).status).toBe(404);
    expect((await page.request('/account/api/passkeys/options', { json: {}, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    const removed = await json<{ passkeys: PasskeyView[] }>(await page.request('/account/api/passkeys/remove', { json: { id: authenticator.id } }));
    expect(removed.passkeys).toEqual([]);
  });

  it('refuses a registration without its options first, or for another origin', async () => {
    const page = new Browser(origin);
    await signInWithPassword(page, 'nokeys@example.com');
    const authenticator = new SoftAuthenticator(origin, new URL(origin).hostname);
    const early = await page.request('/account/api/passkeys', { json: { name: 'x', response: authenticator.register({ challenge: 'Y2hhbGxlbmdl' }) } });
    expect(early.status).toBe(409);
    const options = await json<{ challenge: string }>(await page.request('/account/api/passkeys/options', { json: {} }));
    const foreign = await page.request('/account/api/passkeys', { json: { name: 'x', response: authenticator.register({ challenge: options.challenge, origin: 'https://evil.example' }) } });
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toEqual({ error: 'passkey_refused', message: 'That passkey could not be checked. Try again.' });
  });

  it('signs in with the passkey alone (no password, no code), and the page takes the sign-in over', async () => {
    const { authenticator } = await registeredPasskey('alone@example.com');
    const browser = new Browser(origin);
    const { sessionId, status, body } = await passkeyOnAccountPage(browser, authenticator);
    expect(status).toBe(200);
    expect(body).toEqual({ authenticated: true, name: 'Lauren Bailey', email: 'alone@example.com' });
    const login = await browser.request('/account/api/login', { json: { sessionId } });
    expect(await login.json()).toMatchObject({ signedIn: true, account: { email: 'alone@example.com' } });
    const listed = await json<{ passkeys: PasskeyView[] }>(await browser.request('/account/api/passkeys'));
    expect(listed.passkeys[0]!.lastUsedAt).toEqual(expect.any(Number));
  });

  it('refuses a replayed answer, a cloned authenticator, a removed passkey, and an answer for another sign-in', async () => {
    const { authenticator, page } = await registeredPasskey('refused@example.com');
    const browser = new Browser(origin);
    const first = await passkeyOnAccountPage(browser, authenticator);
    expect(first.status).toBe(200);
    // The same answer for a new sign-in: its challenge was another.
    const replayed = await passkeyOnAccountPage(browser, authenticator, () => first.assertion);
    expect(replayed).toMatchObject({ status: 400, body: { error: 'passkey_refused' } });
    // A clone whose counter goes back.
    authenticator.counter = 0;
    expect(await passkeyOnAccountPage(browser, authenticator)).toMatchObject({ status: 400, body: { error: 'passkey_refused' } });
    authenticator.counter = 10;
    // Another sign-in's answer: the challenge cookie names the sign-in it was given for.
    const { sessionId: other } = await json<{ sessionId: string }>(await browser.request('/account/api/session', { json: {} }));
    const { sessionId } = await json<{ sessionId: string }>(await browser.request('/account/api/session', { json: {} }));
    const options = await json<{ challenge: string }>(await browser.request('/account/api/passkey/options', { json: { sessionId } }));
    const misdirected = await browser.request('/account/api/passkey', { json: { sessionId: other, response: authenticator.assert({ challenge: options.challenge }) } });
    expect(misdirected.status).toBe(400);
    expect(await misdirected.json()).toEqual({ error: 'passkey_refused', message: 'That passkey sign-in took too long. Try again.' });
    // Removed: it signs in no more.
    await page.request('/account/api/passkeys/remove', { json: { id: authenticator.id } });
    const removed = await passkeyOnAccountPage(browser, authenticator);
    expect(removed).toMatchObject({ status: 400, body: { message: 'This passkey is not registered with Target, or it was removed. Sign in another way.' } });
  });

  it('gives no options for a sign-in the page did not open in this browser', async () => {
    const other = new Browser(origin);
    const { sessionId } = await json<{ sessionId: string }>(await other.request('/account/api/session', { json: {} }));
    const stranger = new Browser(origin);
    await stranger.request('/account/api/session', { json: {} });
    const refused = await stranger.request('/account/api/passkey/options', { json: { sessionId } });
    expect(refused.status).toBe(400);
  });
});

describe('passkeys on the hosted page (account linking)', () => {
  it('links an app with a passkey sign-in, and the app reads the account', async () => {
    const { authenticator } = await registeredPasskey('linked-key@example.com');
    const client = await register(server.baseUrl);
    const browser = new Browser(origin);
    const codes = pkce();
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: codes.challenge, method: 'S256' }));
    const { sessionId } = await json<{ sessionId: string }>(await browser.request(`${page}/session`, { json: {} }));
    const options = await json<{ challenge: string; rpId: string }>(await browser.request(`${page}/passkey/options`, { json: { sessionId } }));
    expect(options.rpId).toBe('127.0.0.1');
    const answer = await browser.request(`${page}/passkey`, { json: { sessionId, response: authenticator.assert({ challenge: options.challenge }) } });
    expect(await answer.json()).toEqual({ authenticated: true, name: 'Lauren Bailey', email: 'linked-key@example.com' });
    const login = await browser.request(`${page}/login`, { json: { sessionId } });
    let at = await followTo(browser, (await json<{ redirectTo: string }>(login)).redirectTo);
    const consent = await browser.request(`${at}/consent`, { json: {} });
    at = await followTo(browser, (await json<{ redirectTo: string }>(consent)).redirectTo);
    const code = new URL(at).searchParams.get('code')!;
    const exchanged = await token(server.baseUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: codes.verifier, client_id: client.client_id, resource: server.resource });
    const linked = await mcp(server.baseUrl, callTool('get-target-account'), (exchanged.body as { access_token: string }).access_token);
    expect(linked.json).toMatchObject({ result: { structuredContent: { email: 'linked-key@example.com' } } });
  });

  it("refuses a passkey answer for another interaction's sign-in", async () => {
    const { authenticator } = await registeredPasskey('other-page@example.com');
    const client = await register(server.baseUrl);
    const [one, two] = [new Browser(origin), new Browser(origin)];
    const pageOne = await followTo(one, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    const pageTwo = await followTo(two, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
    const { sessionId } = await json<{ sessionId: string }>(await one.request(`${pageOne}/session`, { json: {} }));
    // Browser two asks options for browser one's sign-in from its own page: refused.
    expect((await two.request(`${pageTwo}/passkey/options`, { json: { sessionId } })).status).toBe(400);
    const options = await json<{ challenge: string }>(await one.request(`${pageOne}/passkey/options`, { json: { sessionId } }));
    expect((await two.request(`${pageTwo}/passkey`, { json: { sessionId, response: authenticator.assert({ challenge: options.challenge }) } })).status).toBe(400);
  });
});

describe('passkeys from a chat (start link, the chat\'s code, then the passkey page)', () => {
  const SPENT = 'This passkey sign-in is over or was started elsewhere. Start again from the chat.';

  const tool = async (name: string, args: Record<string, unknown> = {}) => {
    const { json } = await mcp(origin, callTool(name, args));
    return (json as { result: { structuredContent: Record<string, unknown> } }).result.structuredContent;
  };

  /** A chat's passkey sign-in whose start page took the chat's code in `browser`: the chat's session. */
  async function onPasskeyPage(browser: Browser): Promise<string> {
    const { sessionId } = (await tool(ToolName.createSession)) as { sessionId: string };
    const started = await tool(ToolName.startUpstream, { sessionId, provider: 'passkey' });
    expect(started).toMatchObject({ step: 'upstream', provider: { id: 'passkey', name: 'a passkey' }, code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/) });
    const start = new URL(started['url'] as string).pathname;
    expect(start).toMatch(/^\/auth\/start\//);
    const page = await browser.request(start);
    expect(await page.text()).toContain('<h1>Sign in with a passkey</h1>');
    const sent = await browser.request(start, { body: new URLSearchParams({ code: started['code'] as string }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${origin}/auth/passkey`);
    expect(sent.headers.getSetCookie()).toEqual([expect.stringMatching(/^target_passkey_pass=[\w.-]+; Path=\/auth\/passkey; Max-Age=\d+; HttpOnly; SameSite=Strict$/)]);
    return sessionId;
  }

  /** The passkey page's sign-in with `authenticator` in `browser`: its status and body. */
  async function passkeyOnPage(browser: Browser, authenticator: SoftAuthenticator, origin?: string) {
    const options = await browser.request('/auth/passkey/options', { json: {} });
    expect(options.status).toBe(200);
    const { challenge, rpId } = await json<{ challenge: string; rpId: string }>(options);
    expect(rpId).toBe('127.0.0.1');
    const answer = await browser.request('/auth/passkey', { json: { response: authenticator.assert({ challenge, ...(origin && { origin }) }) } });
    return { status: answer.status, body: await json<Record<string, unknown>>(answer) };
  }

  it('signs the chat in with the passkey alone: the chat sees it when it polls, and the page\'s pass is spent', async () => {
    const { authenticator } = await registeredPasskey('chat-key@example.com');
    const browser = new Browser(origin);
    const sessionId = await onPasskeyPage(browser);
    const page = await browser.request('/auth/passkey');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await json(await browser.request('/auth/passkey/state'))).toEqual({ ready: true });
    expect(await tool(ToolName.checkUpstream, { sessionId })).toMatchObject({ authenticated: false, step: 'upstream' });

    expect(await passkeyOnPage(browser, authenticator)).toEqual({ status: 200, body: { authenticated: true, name: 'Lauren Bailey', email: 'chat-key@example.com' } });
    expect(browser.cookieNames()).not.toContain('target_passkey_pass');
    expect(await tool(ToolName.checkUpstream, { sessionId })).toMatchObject({ authenticated: true, email: 'chat-key@example.com' });
    expect(await tool(ToolName.authStatus, { sessionId })).toMatchObject({ authenticated: true, email: 'chat-key@example.com' });
    const after = await browser.request('/auth/passkey/state');
    expect(after.status).toBe(410);
    expect(await after.json()).toEqual({ error: 'gone', message: SPENT });
  });

  it('refuses a browser without the pass, a post from elsewhere, a foreign answer (the pass still waits), and the page after the chat gave up', async () => {
    const { authenticator } = await registeredPasskey('chat-refused@example.com');
    const browser = new Browser(origin);
    const sessionId = await onPasskeyPage(browser);

    const stranger = new Browser(origin);
    for (const refused of [await stranger.request('/auth/passkey/state'), await stranger.request('/auth/passkey/options', { json: {} })]) {
      expect(refused.status).toBe(410);
      expect(await refused.json()).toEqual({ error: 'gone', message: SPENT });
    }
    const forged = await stranger.request('/auth/passkey/options', { json: {}, headers: { cookie: `target_passkey_pass=${'a'.repeat(40)}` } });
    expect(forged.status).toBe(410);
    expect((await browser.request('/auth/passkey/options', { json: {}, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await browser.request('/auth/passkey/options', { json: {}, headers: { origin: 'null' } })).status).toBe(403);
    // No Origin at all (not a page's fetch): refused by the page itself.
    const bare = await fetch(`${origin}/auth/passkey/options`, { method: 'POST', headers: { cookie: browser.cookieHeader(), 'content-type': 'application/json' }, body: '{}' });
    expect(bare.status).toBe(403);
    expect(await bare.json()).toEqual({ error: 'forbidden', message: 'This request must come from the passkey page.' });

    const foreign = await passkeyOnPage(browser, authenticator, 'https://evil.example');
    expect(foreign).toMatchObject({ status: 400, body: { error: 'passkey_refused' } });
    expect(await json(await browser.request('/auth/passkey/state'))).toEqual({ ready: true });

    // "Use your password instead" in the chat while the prompt is open: the page's pass signs nothing in.
    const { challenge } = await json<{ challenge: string }>(await browser.request('/auth/passkey/options', { json: {} }));
    expect(await tool(ToolName.checkUpstream, { sessionId, cancel: true })).toMatchObject({ authenticated: false, step: 'credentials' });
    const late = await browser.request('/auth/passkey', { json: { response: authenticator.assert({ challenge }) } });
    expect(late.status).toBe(410);
    expect(await late.json()).toEqual({ error: 'gone', message: SPENT });
    expect((await browser.request('/auth/passkey/options', { json: {} })).status).toBe(410);
    expect(await tool(ToolName.authStatus, { sessionId })).toMatchObject({ authenticated: false });
  });
});
