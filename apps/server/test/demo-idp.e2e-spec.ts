/**
 * Demo mode's Demo ID, over HTTP as a browser would: a chat's start link and
 * code, Demo ID's own page (any name and e-mail), the callback, and the chat
 * signed in as whoever was typed; it asks again every time, refuses a form
 * from elsewhere or without a name, and is not there outside demo mode.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { embeddedTestDatabase } from '../src/testing/databases.js';
import { settle } from '../src/testing/teardown.js';
import { Browser, callTool, followTo, type LinkingServer, mcp, startLinkingServer } from './oauth.js';

let server: LinkingServer;

beforeAll(async () => {
  server = await startLinkingServer({ DEMO_MODE: 'true' });
});

afterAll(async () => {
  await settle(() => server?.close());
});

const tool = async (name: string, args: Record<string, unknown> = {}) => {
  const { json } = await mcp(server.baseUrl, callTool(name, args));
  return (json as { result: { structuredContent: Record<string, unknown> } }).result.structuredContent;
};
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});

/** A chat's session sent to Demo ID in `browser`: the path of Demo ID's sign-in page. */
async function atDemoId(browser: Browser): Promise<{ sessionId: string; page: string }> {
  const { sessionId } = (await tool(ToolName.createSession)) as { sessionId: string };
  const { url, code } = (await tool(ToolName.startUpstream, { sessionId, provider: 'demo' })) as { url: string; code: string };
  const start = new URL(url).pathname;
  const sent = await browser.request(start, form({ code }));
  expect(sent.status).toBe(303);
  const page = await followTo(browser, sent.headers.get('location')!);
  expect(page).toMatch(/^\/demo-idp\/interaction\/[\w-]+$/);
  return { sessionId, page };
}

describe('Demo ID (demo mode)', () => {
  it('is offered after the configured providers, clearly named', async () => {
    const { sessionId } = (await tool(ToolName.createSession)) as { sessionId: string };
    expect(await tool(ToolName.authenticate, { sessionId })).toMatchObject({ providers: [{ id: 'demo', name: 'Demo ID' }] });
  });

  it('signs a chat in as whoever is typed on its page, and asks again next time in the same browser', async () => {
    const browser = new Browser(server.baseUrl);
    const first = await atDemoId(browser);
    const shown = await browser.request(first.page);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('<title>Demo ID</title>');
    expect(html).toContain('<h1>Sign in to Demo ID</h1>');
    expect(html).toContain('Demo ID is a pretend identity provider');
    expect(html).toContain('Any name and e-mail address work; nothing is checked or sent anywhere.');
    expect(html).toContain('<label for="field-0">Your name</label>');
    expect(html).toContain('<label for="field-1">E-mail address</label>');
    expect(html).toMatch(/<input id="field-0" name="name" required type="text" autocomplete="name"/);
    expect(html).toMatch(/<input id="field-1" name="email" required type="email" autocomplete="email"/);
    expect(html).toContain('<button type="submit">Sign in to Demo ID</button>');
    expect(html).not.toContain('role="alert"');
    const signedIn = await browser.request(first.page, form({ name: 'Grace Hopper', email: 'Grace@Example.com' }));
    expect(signedIn.status).toBe(303);
    const ended = await followTo(browser, signedIn.headers.get('location')!);
    // followTo stopped at the callback, which answered its page (a second visit would be a replay).
    expect(ended).toMatch(/^\/auth\/callback\/demo\?/);
    expect(await tool(ToolName.checkUpstream, { sessionId: first.sessionId })).toMatchObject({ authenticated: true, name: 'Grace Hopper', email: 'grace@example.com' });

    const second = await atDemoId(browser);
    const again = await browser.request(second.page, form({ name: 'Alan Turing', email: 'alan@example.com' }));
    expect(await followTo(browser, again.headers.get('location')!)).toMatch(/^\/auth\/callback\/demo\?/);
    expect(await tool(ToolName.checkUpstream, { sessionId: second.sessionId })).toMatchObject({ authenticated: true, name: 'Alan Turing' });
  });

  it('says what is missing, and refuses a form posted from elsewhere or for an interaction that is over', async () => {
    const browser = new Browser(server.baseUrl);
    const { page } = await atDemoId(browser);
    const empty = await browser.request(page, form({ name: ' ', email: 'grace@example.com' }));
    expect(empty.status).toBe(400);
    const emptyPage = await empty.text();
    expect(emptyPage).toContain('<p role="alert">Type a name.</p>');
    // What was typed stays in the form.
    expect(emptyPage).toContain('value="grace@example.com"');
    const badMail = await browser.request(page, form({ name: 'Grace', email: 'grace' }));
    const badMailPage = await badMail.text();
    expect(badMailPage).toContain('Type an e-mail address, like you@example.com.');
    expect(badMailPage).toContain('value="Grace"');
    const noFields = await browser.request(page, form({}));
    expect(await noFields.text()).toContain('<p role="alert">Type a name.</p>');
    // A foreign Origin is refused before anything else; a browser that sends none is judged by Fetch Metadata.
    const elsewhere = await browser.request(page, form({ name: 'Grace', email: 'grace@example.com' }, { origin: 'http://evil.test' }));
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).toContain('This request is not allowed here.');
    const crossSite = await fetch(`${server.baseUrl}${page}`, { method: 'POST', headers: { cookie: browser.cookieHeader(), 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Grace&email=grace%40example.com' });
    expect(crossSite.status).toBe(403);
    const crossSitePage = await crossSite.text();
    expect(crossSitePage).toContain('<h1>Demo ID could not sign you in</h1>');
    expect(crossSitePage).toContain('This form must be sent from its own page.');
    const json = await browser.request(page, { json: { name: 'Grace', email: 'grace@example.com' } });
    expect(json.status).toBe(415);
    expect(await json.text()).toContain('This page takes its own form only.');
    const put = await browser.request(page, { method: 'PUT' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, POST']);
    // Another interaction's page, in a browser that has one: over.
    expect((await browser.request('/demo-idp/interaction/not-this-one')).status).toBe(410);
    const stranger = await new Browser(server.baseUrl).request(page);
    expect(stranger.status).toBe(410);
    expect(await stranger.text()).toContain('This Demo ID sign-in is over. Start again from the sign-in page.');
  });

  it('publishes a code-only, PKCE-only provider with the claims its scopes give, and says what is wrong with a bad request', async () => {
    const discovery = (await (await fetch(`${server.baseUrl}/demo-idp/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: `${server.baseUrl}/demo-idp`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'profile'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(discovery['claims_supported']).toEqual(expect.arrayContaining(['sub', 'email', 'email_verified', 'name']));
    for (const absent of ['userinfo_endpoint', 'end_session_endpoint', 'revocation_endpoint']) expect(discovery).not.toHaveProperty(absent);

    const unknownClient = await fetch(`${server.baseUrl}/demo-idp/auth?client_id=nobody&response_type=code&scope=openid`);
    expect(unknownClient.status).toBe(400);
    const errorPage = await unknownClient.text();
    expect(unknownClient.headers.get('content-type')).toMatch(/^text\/html/);
    expect(errorPage).toContain('<title>Demo ID</title>');
    expect(errorPage).toContain('<h1>Demo ID could not sign you in</h1>');
    expect(errorPage).toContain('<p>client is invalid</p>');
    const redirectUri = `${server.baseUrl}/auth/callback/demo`;
    const withoutPkce = await fetch(`${server.baseUrl}/demo-idp/auth?client_id=target-demo&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(redirectUri)}`, { redirect: 'manual' });
    const back = new URL(withoutPkce.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/requires PKCE/);
  });
});

describe('Demo ID outside demo mode', () => {
  it('is neither offered nor served', async () => {
    const database = embeddedTestDatabase();
    const real = await startLinkingServer({ ...database.env, DEMO_MODE: 'false' });
    try {
      const created = await mcp(real.baseUrl, callTool(ToolName.createSession));
      const { sessionId } = (created.json as { result: { structuredContent: { sessionId: string } } }).result.structuredContent;
      const shown = await mcp(real.baseUrl, callTool(ToolName.authenticate, { sessionId }));
      expect((shown.json as { result: { structuredContent: object } }).result.structuredContent).not.toHaveProperty('providers');
      expect((await fetch(`${real.baseUrl}/demo-idp/.well-known/openid-configuration`)).status).toBe(404);
    } finally {
      await real.close();
      await database.drop();
    }
  });
});
