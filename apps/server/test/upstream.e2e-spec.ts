/**
 * Upstream sign-in on the hosted page, over HTTP as a browser would, against
 * local OpenID providers (a Google-like one, and Microsoft's shape reached as
 * login.microsoftonline.com): the account linking ends in tokens that read the
 * account; an e-mail match never signs in without the account's own code; the
 * callback is tied to its browser and used once; a provider that is down is
 * said plainly. Stored accounts on PostgreSQL (the accounts CLI adds them).
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { postgresAvailable, postgresTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { itWhen } from '../src/testing/services.js';
import { settle } from '../src/testing/teardown.js';
import { type IdpPerson, microsoftFetch, startTestIdp, type TestIdp } from '../src/testing/upstream-idp.js';
import { authorizationUrl, Browser, callTool, followTo, type LinkingServer, mcp, pkce, register, REDIRECT_URI, startLinkingServer, token } from './oauth.js';
import { accountsCli, TestMailbox } from './real-mode.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const havePostgres = await postgresAvailable();
const maybe = itWhen(havePostgres);
const mailbox = new TestMailbox();
let database: TestDatabase;
let google: TestIdp;
let entra: TestIdp;
let server: LinkingServer;
let env: Record<string, string>;

beforeAll(async () => {
  if (!havePostgres) return;
  google = await startTestIdp();
  entra = await startTestIdp({ mode: 'microsoft' });
  const smtpUrl = await mailbox.start();
  database = await postgresTestDatabase();
  env = {
    ...database.env,
    DEMO_MODE: 'false',
    SMTP_URL: smtpUrl,
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_ISSUER: google.issuer,
    MICROSOFT_CLIENT_ID: entra.clientId,
    MICROSOFT_CLIENT_SECRET: entra.clientSecret,
  };
  expect(await accountsCli(['add', '--email', 'held@example.com', '--name', 'Hal Held', '--password-stdin'], env, `${PASSWORD}\n`)).toMatchObject({ code: 0 });
  server = await startLinkingServer(env, { upstreamFetch: microsoftFetch(entra) });
});

afterAll(async () => {
  await settle(
    () => server?.close(),
    () => database?.drop(),
    () => mailbox.stop(),
    () => google?.close(),
    () => entra?.close(),
  );
});

/** A browser at the hosted page of a new authorization request, with the page's sign-in session open. */
async function atHostedPage() {
  const client = await register(server.baseUrl);
  const browser = new Browser(server.baseUrl);
  const codes = pkce();
  const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: codes.challenge, method: 'S256' }));
  const opened = await browser.request(`${page}/session`, { json: {} });
  const { sessionId } = (await opened.json()) as { sessionId: string };
  return { client, browser, codes, page, sessionId };
}

/** "Continue with {provider}" → the provider signs in `person` → the callback, in `browser`. */
async function viaProvider(at: Awaited<ReturnType<typeof atHostedPage>>, provider: 'google' | 'microsoft', person: IdpPerson) {
  const begun = await at.browser.request(`${at.page}/upstream/${provider}`, { json: { sessionId: at.sessionId } });
  expect(begun.status).toBe(200);
  const { redirectTo } = (await begun.json()) as { redirectTo: string };
  const idp = provider === 'google' ? google : entra;
  idp.next(person);
  const callback = await idp.authorize(redirectTo);
  return { callback, response: await at.browser.request(`${callback.pathname}${callback.search}`) };
}

/** Hands the page's session over, consents, exchanges the code and reads the linked account. */
async function linkedAccount(at: Awaited<ReturnType<typeof atHostedPage>>): Promise<unknown> {
  const login = await at.browser.request(`${at.page}/login`, { json: { sessionId: at.sessionId } });
  expect(login.status).toBe(200);
  const consentPage = await followTo(at.browser, ((await login.json()) as { redirectTo: string }).redirectTo);
  const consent = await at.browser.request(`${consentPage}/consent`, { json: {} });
  const redirect = new URL(await followTo(at.browser, ((await consent.json()) as { redirectTo: string }).redirectTo));
  const exchanged = await token(server.baseUrl, {
    grant_type: 'authorization_code',
    code: redirect.searchParams.get('code') ?? '',
    redirect_uri: REDIRECT_URI,
    code_verifier: at.codes.verifier,
    client_id: at.client.client_id,
    resource: server.resource,
  });
  const linked = await mcp(server.baseUrl, callTool(ToolName.account), String(exchanged.body['access_token']));
  return (linked.json as { result: { structuredContent: unknown } }).result.structuredContent;
}

describe('upstream sign-in on the hosted page (e2e)', () => {
  maybe('offers the configured providers; Google signs up a verified e-mail nobody has, back into the same interaction, and links', async () => {
    const at = await atHostedPage();
    const details = (await (await at.browser.request(`${at.page}/details`)).json()) as { providers: unknown };
    expect(details.providers).toEqual([
      { id: 'google', name: 'Google' },
      { id: 'microsoft', name: 'Microsoft' },
    ]);
    const { callback, response } = await viaProvider(at, 'google', { sub: 'g-new', email: 'newcomer@example.com', email_verified: true, name: 'Nia Newcomer' });
    expect(callback.href).toMatch(new RegExp(`^${server.baseUrl}/auth/callback/google\\?`));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(at.page);
    const back = await at.browser.request('/api/session/open', { json: { sessionId: at.sessionId } });
    expect(await back.json()).toEqual({ sessionId: at.sessionId, authenticated: true, name: 'Nia Newcomer', email: 'newcomer@example.com', profile: 'Nia Newcomer' });
    expect(response.headers.getSetCookie().join()).toMatch(/target_upstream=; Path=\/auth\/callback; Max-Age=0/);
    expect(await linkedAccount(at)).toEqual({ name: 'Nia Newcomer', email: 'newcomer@example.com', profile: 'Nia Newcomer' });
  });

  maybe('signs in to an account that has the e-mail only after its mailed code, then links the identity for next time', async () => {
    const at = await atHostedPage();
    const before = mailbox.count('held@example.com');
    const { response } = await viaProvider(at, 'google', { sub: 'g-held', email: 'held@example.com', email_verified: true, name: 'Someone Else' });
    expect(response.status).toBe(303);
    // Not signed in yet: nothing to hand over before the account's own code, which the page, back, asks for.
    expect((await at.browser.request(`${at.page}/login`, { json: { sessionId: at.sessionId } })).status).toBe(401);
    const back = await at.browser.request('/api/session/open', { json: { sessionId: at.sessionId } });
    expect(await back.json()).toEqual({ sessionId: at.sessionId, authenticated: false, step: 'verify', purpose: 'link', delivery: { method: 'email', sentTo: 'h•••@example.com' } });
    const code = await mailbox.codeFor('held@example.com', before);
    const verified = await at.browser.request('/api/session/authenticate', { json: { sessionId: at.sessionId, code } });
    expect(await verified.json()).toMatchObject({ authenticated: true, name: 'Hal Held', email: 'held@example.com' });
    expect(await linkedAccount(at)).toMatchObject({ name: 'Hal Held', email: 'held@example.com' });
    // Linked: the same identity signs in to it at once next time, whatever e-mail it shows now.
    const again = await atHostedPage();
    await viaProvider(again, 'google', { sub: 'g-held', email: 'changed@example.com', email_verified: true });
    expect(await linkedAccount(again)).toMatchObject({ email: 'held@example.com' });
    expect(mailbox.count('held@example.com')).toBe(before + 1);

    // The operator lists and unlinks it: the next sign-in with it must prove the account again.
    const listed = await accountsCli(['identities', 'list', 'held@example.com'], env);
    expect(listed).toMatchObject({ code: 0 });
    expect(listed.stdout).toMatch(new RegExp(`^google\t${google.issuer}\tg-held\tchanged@example.com\tlinked \\S+\tlast used \\S+$`, 'm'));
    expect(await accountsCli(['identities', 'unlink', 'held@example.com', google.issuer, 'nobody'], env)).toMatchObject({ code: 1 });
    const unlinked = await accountsCli(['identities', 'unlink', 'held@example.com', google.issuer, 'g-held'], env);
    expect(unlinked.stdout).toContain(`Unlinked g-held (${google.issuer}) from held@example.com`);
    expect((await accountsCli(['identities', 'list', 'held@example.com'], env)).stdout).toContain('held@example.com has no linked sign-ins.');
    const afterUnlink = await atHostedPage();
    await viaProvider(afterUnlink, 'google', { sub: 'g-held', email: 'held@example.com', email_verified: true });
    expect((await afterUnlink.browser.request(`${afterUnlink.page}/login`, { json: { sessionId: afterUnlink.sessionId } })).status).toBe(401);
  });

  maybe('refuses an unverified e-mail that matches an account, with a way back to the sign-in page and nothing linked', async () => {
    const at = await atHostedPage();
    const { response } = await viaProvider(at, 'google', { sub: 'g-spoof', email: 'held@example.com', email_verified: false });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await response.text();
    expect(page).toContain('Your provider did not confirm your e-mail address.');
    expect(page).toContain(`<a href="${at.page}">Back to sign-in</a>`);
    expect((await at.browser.request(`${at.page}/login`, { json: { sessionId: at.sessionId } })).status).toBe(401);
  });

  maybe('ties the callback to the browser that began it, and takes it once', async () => {
    const at = await atHostedPage();
    const begun = await at.browser.request(`${at.page}/upstream/google`, { json: { sessionId: at.sessionId } });
    google.next({ sub: 'g-once', email: 'once@example.com', email_verified: true });
    const callback = await google.authorize(((await begun.json()) as { redirectTo: string }).redirectTo);
    const elsewhere = await new Browser(server.baseUrl).request(`${callback.pathname}${callback.search}`);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('Finish signing in in the browser where you started.');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'forged');
    expect((await at.browser.request(`${tampered.pathname}${tampered.search}`)).status).toBe(400);
    expect((await at.browser.request(`${callback.pathname}${callback.search}`)).status).toBe(303);
    // The cookie is spent with its attempt; replayed even with it, the callback finds no attempt.
    const replayed = await at.browser.request(`${callback.pathname}${callback.search}`);
    expect(replayed.status).toBe(400);
    const withCookie = await at.browser.request(`${callback.pathname}${callback.search}`, { headers: { cookie: `target_upstream=${'x'.repeat(43)}` } });
    expect(await withCookie.text()).toContain('This sign-in is over or was started elsewhere. Start again.');
    expect(replayed.headers.get('location')).toBeNull();
    expect(google.tokenRequests).toBeGreaterThan(0);
  });

  maybe('signs in with Microsoft keyed on the tenant and object id; an e-mail without xms_edov finds no account', async () => {
    const tenant = '33333333-3333-4333-8333-333333333333';
    const unverified = await atHostedPage();
    const refused = await viaProvider(unverified, 'microsoft', { sub: 's1', tid: tenant, oid: 'oid-held', email: 'held@example.com', name: 'Spoof' });
    expect(refused.response.status).toBe(400);
    const at = await atHostedPage();
    const { response } = await viaProvider(at, 'microsoft', { sub: 's2', tid: tenant, oid: 'oid-new', email: 'ms-new@example.com', xms_edov: true, name: 'Mo Microsoft' });
    expect(response.status).toBe(303);
    expect(await linkedAccount(at)).toMatchObject({ name: 'Mo Microsoft', email: 'ms-new@example.com' });
  });

  maybe('says a provider that is down cannot be reached, and leaves the session waiting for credentials', async () => {
    const fresh = await startLinkingServer({ ...database.env, DEMO_MODE: 'false', GOOGLE_CLIENT_ID: 'c', GOOGLE_CLIENT_SECRET: 's', GOOGLE_ISSUER: 'http://127.0.0.1:9/down' });
    try {
      const client = await register(fresh.baseUrl);
      const browser = new Browser(fresh.baseUrl);
      const page = await followTo(browser, authorizationUrl(fresh.baseUrl, { clientId: client.client_id, resource: fresh.resource, challenge: pkce().challenge, method: 'S256' }));
      const { sessionId } = (await (await browser.request(`${page}/session`, { json: {} })).json()) as { sessionId: string };
      const begun = await browser.request(`${page}/upstream/google`, { json: { sessionId } });
      expect(begun.status).toBe(503);
      expect(await begun.json()).toEqual({ error: 'unavailable', message: 'Google cannot be reached right now. Try again in a moment.' });
      expect(begun.headers.get('retry-after')).toBe('5');
      const unknown = await browser.request(`${page}/upstream/facebook`, { json: { sessionId } });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toEqual({ error: 'invalid_request', message: 'There is no such sign-in provider here.' });
      const credentials = await browser.request('/api/session/credentials', { json: { sessionId, email: 'held@example.com', password: PASSWORD } });
      expect(credentials.status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});

describe('upstream sign-in from a chat (e2e)', () => {
  const tool = async (name: string, args: Record<string, unknown> = {}) => {
    const { json } = await mcp(server.baseUrl, callTool(name, args));
    return (json as { result: { structuredContent: Record<string, unknown>; isError?: boolean } }).result;
  };
  const form = (code: string, headers: Record<string, string> = {}) => ({ body: new URLSearchParams({ code }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  /** A chat's session at "Continue with Google": its start link (as a path) and the code the widget shows. */
  async function chatAtGoogle() {
    const { sessionId } = (await tool(ToolName.createSession)).structuredContent as { sessionId: string };
    const started = (await tool(ToolName.startUpstream, { sessionId, provider: 'google' })).structuredContent as { url: string; code: string };
    const link = new URL(started.url);
    return { sessionId, path: link.pathname, code: started.code, browser: new Browser(server.baseUrl) };
  }

  maybe('start link, the chat’s code, Google, a tab that says to go back; the chat’s poll then finds it signed in', async () => {
    const { sessionId } = (await tool(ToolName.createSession)).structuredContent as { sessionId: string };
    expect((await tool(ToolName.authenticate, { sessionId })).structuredContent).toMatchObject({ step: 'credentials', providers: [{ id: 'google', name: 'Google' }, { id: 'microsoft', name: 'Microsoft' }] });
    const started = await tool(ToolName.startUpstream, { sessionId, provider: 'google' });
    expect(started.structuredContent).toMatchObject({ step: 'upstream', provider: { id: 'google', name: 'Google' }, url: expect.stringMatching(/\/auth\/start\/[\w.-]+$/), code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/) });
    const { url, code } = started.structuredContent as { url: string; code: string };
    const path = new URL(url).pathname;
    const browser = new Browser(server.baseUrl);

    const page = await browser.request(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${google.origin}`);
    expect(await page.text()).toContain('Continue to Google');
    const wrong = await browser.request(path, form('BBBB-BBBB'));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('That code doesn&#39;t match the one in the chat. 4 tries left.');
    const crossSite = await browser.request(path, form(code, { origin: 'https://elsewhere.example' }));
    expect(crossSite.status).toBe(403);

    const right = await browser.request(path, form(code));
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toMatch(new RegExp(`^${google.origin}/idp/authorize\\?`));
    expect(browser.cookieNames()).toContain('target_upstream');
    expect((await tool(ToolName.checkUpstream, { sessionId })).structuredContent).toMatchObject({ authenticated: false, step: 'upstream' });
    expect((await browser.request(path)).status).toBe(410);

    google.next({ sub: 'g-chat', email: 'chat@example.com', email_verified: true, name: 'Cat Chat' });
    const callback = await google.authorize(right.headers.get('location')!);
    const ended = await browser.request(`${callback.pathname}${callback.search}`);
    expect(ended.status).toBe(200);
    expect(await ended.text()).toContain('You can go back to the chat and close this tab.');
    expect((await tool(ToolName.checkUpstream, { sessionId })).structuredContent).toEqual({ sessionId, authenticated: true, name: 'Cat Chat', email: 'chat@example.com', profile: 'Cat Chat' });
    expect((await tool(ToolName.authStatus, { sessionId })).structuredContent).toMatchObject({ authenticated: true, email: 'chat@example.com' });
  });

  maybe("an e-mail that has an account: the tab sends the person back to the chat for that account's code", async () => {
    const chat = await chatAtGoogle();
    const sent = mailbox.count('held@example.com');
    const right = await chat.browser.request(chat.path, form(chat.code));
    google.next({ sub: 'g-held-chat', email: 'held@example.com', email_verified: true, name: 'Not Hal' });
    const callback = await google.authorize(right.headers.get('location')!);
    const ended = await chat.browser.request(`${callback.pathname}${callback.search}`);
    expect(await ended.text()).toMatch(/enter the code we sent to h\S+@example\.com to confirm it is your account/);
    expect((await tool(ToolName.checkUpstream, { sessionId: chat.sessionId })).structuredContent).toMatchObject({ authenticated: false, step: 'verify', purpose: 'link' });
    const verified = await tool(ToolName.verifyCode, { sessionId: chat.sessionId, code: await mailbox.codeFor('held@example.com', sent) });
    expect(verified.structuredContent).toMatchObject({ authenticated: true, name: 'Hal Held' });
  });

  maybe('five wrong codes end the link; cancel takes the chat back to the password; another browser cannot finish', async () => {
    const chat = await chatAtGoogle();
    for (let i = 0; i < 4; i++) await chat.browser.request(chat.path, form('BBBB-BBBB'));
    const last = await chat.browser.request(chat.path, form('BBBB-BBBB'));
    expect(last.status).toBe(410);
    expect(await last.text()).toContain('Too many wrong codes. Start again from the chat.');
    expect((await tool(ToolName.checkUpstream, { sessionId: chat.sessionId })).structuredContent).toMatchObject({ step: 'credentials' });

    const again = await chatAtGoogle();
    const right = await again.browser.request(again.path, form(again.code));
    google.next({ sub: 'g-other', email: 'other@example.com', email_verified: true });
    const callback = await google.authorize(right.headers.get('location')!);
    const stranger = await new Browser(server.baseUrl).request(`${callback.pathname}${callback.search}`);
    expect(await stranger.text()).toContain('Finish signing in in the browser where you started.');
    const cancelled = await tool(ToolName.checkUpstream, { sessionId: again.sessionId, cancel: true });
    expect(cancelled.structuredContent).toMatchObject({ authenticated: false, step: 'credentials' });
    const late = await again.browser.request(`${callback.pathname}${callback.search}`);
    expect(late.status).toBe(400);
  });
});
