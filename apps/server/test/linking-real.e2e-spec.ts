/**
 * Account linking in real mode: stored accounts (PostgreSQL, so the accounts
 * CLI can change them while the server runs, as an operator would), codes read
 * from the mails sent. A linked account that is disabled loses its access, one
 * disabled between signing in and consenting gets no grant, and a new password
 * (reset in a chat, or set by the CLI) ends every token, browser session and
 * sign-in made with the old one.
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { settle } from '../src/testing/teardown.js';
import { ToolName } from '@target-auth/shared/tools';
import { postgresAvailable, postgresTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { itWhen } from '../src/testing/services.js';
import { connectV2, call } from './helpers.js';
import { authorizationUrl, Browser, callTool, followTo, type LinkingServer, linkedTokens, mcp, pkce, register, signInOnPage, startLinkingServer, token } from './oauth.js';
import { accountsCli, TestMailbox } from './real-mode.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const havePostgres = await postgresAvailable();
const maybe = itWhen(havePostgres);
const mailbox = new TestMailbox();
let database: TestDatabase;
let env: Record<string, string>;
let server: LinkingServer;

async function addAccount(email: string, name: string): Promise<void> {
  expect(await accountsCli(['add', '--email', email, '--name', name, '--password-stdin'], env, `${PASSWORD}\n`)).toMatchObject({ code: 0 });
}
const disable = async (email: string) => expect(await accountsCli(['disable', email], env)).toMatchObject({ code: 0 });
const credentials = (email: string) => ({ email, password: PASSWORD, code: () => mailbox.nextCode(email) });

beforeAll(async () => {
  if (!havePostgres) return;
  const smtpUrl = await mailbox.start();
  database = await postgresTestDatabase();
  env = { ...database.env, DEMO_MODE: 'false', SMTP_URL: smtpUrl, MAIL_FROM: 'Target <no-reply@target.test>' };
  await addAccount('linked@example.com', 'Lena Linked');
  await addAccount('between@example.com', 'Bea Between');
  await addAccount('reset@example.com', 'Rita Reset');
  await addAccount('cli@example.com', 'Cleo Cli');
  server = await startLinkingServer(env);
});

afterAll(async () => {
  await settle(
    () => server?.close(),
    () => database?.drop(),
    () => mailbox.stop(),
  );
});

describe('account linking with stored accounts (e2e)', () => {
  maybe('links a stored account; once it is disabled, its access token and refresh token stop working', async () => {
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client, credentials('linked@example.com'));
    const linked = await mcp(server.baseUrl, callTool(ToolName.account), tokens.access_token);
    expect(linked.json).toMatchObject({ result: { structuredContent: { name: 'Lena Linked', email: 'linked@example.com' } } });

    await disable('linked@example.com');
    const after = await mcp(server.baseUrl, callTool(ToolName.account), tokens.access_token);
    expect(after.status).toBe(401);
    expect(after.wwwAuthenticate).toContain('error="invalid_token"');
    const refreshed = await token(server.baseUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id, resource: server.resource });
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  maybe('an account disabled between signing in and consenting is asked to sign in again, and gets no grant', async () => {
    const client = await register(server.baseUrl);
    const browser = new Browser(server.baseUrl);
    const codes = pkce();
    const page = await followTo(browser, authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: codes.challenge, method: 'S256' }));
    const consentPage = await signInOnPage(browser, page, credentials('between@example.com'));
    expect(consentPage).toMatch(/^\/interaction\//);
    expect(await (await browser.request(`${consentPage}/details`)).json()).toMatchObject({ prompt: 'consent', account: { name: 'Bea Between' } });

    await disable('between@example.com');
    const details = await browser.request(`${consentPage}/details`);
    expect({ status: details.status, body: await details.json() }).toEqual({ status: 401, body: { error: 'not_signed_in', message: 'Sign in again to continue.' } });
    const consent = await browser.request(`${consentPage}/consent`, { json: {} });
    expect({ status: consent.status, body: await consent.json() }).toEqual({ status: 401, body: { error: 'not_signed_in', message: 'Sign in again to continue.' } });
  });

  /** A linked app's tokens, a browser signed in on the hosted page, and a chat sign-in, all made with the current password. */
  async function everythingOpen(email: string) {
    const client = await register(server.baseUrl);
    const browser = new Browser(server.baseUrl);
    const codes = pkce();
    const start = authorizationUrl(server.baseUrl, { clientId: client.client_id, resource: server.resource, challenge: codes.challenge, method: 'S256' });
    const page = await followTo(browser, start);
    await signInOnPage(browser, page, credentials(email));
    const tokens = await linkedTokens(server, client, credentials(email));
    const chat = await connectV2(server.baseUrl);
    const sessionId = (await call(chat, ToolName.createSession)).structuredContent!['sessionId'] as string;
    await call(chat, ToolName.submitCredentials, { sessionId, email, password: PASSWORD });
    await call(chat, ToolName.verifyCode, { sessionId, code: await mailbox.nextCode(email) });
    expect((await call(chat, ToolName.authStatus, { sessionId })).structuredContent).toMatchObject({ authenticated: true });
    return { client, browser, start, tokens, chat, sessionId };
  }

  /** Every one of them refused: 401 at /mcp, invalid_grant at /token, the sign-in form again in the browser, not signed in in the chat. */
  async function everythingEnded(open: Awaited<ReturnType<typeof everythingOpen>>) {
    const read = await mcp(server.baseUrl, callTool(ToolName.account), open.tokens.access_token);
    expect(read.status).toBe(401);
    const refreshed = await token(server.baseUrl, { grant_type: 'refresh_token', refresh_token: open.tokens.refresh_token, client_id: open.client.client_id, resource: server.resource });
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const again = await followTo(open.browser, open.start);
    expect(await (await open.browser.request(`${again}/details`)).json()).toMatchObject({ prompt: 'login' });
    expect((await call(open.chat, ToolName.authStatus, { sessionId: open.sessionId })).structuredContent).toEqual({ authenticated: false, expired: true });
    await open.chat.close();
  }

  maybe('a password reset in a chat ends the old tokens, the browser session and the other chat sign-in at once', async () => {
    const email = 'reset@example.com';
    const open = await everythingOpen(email);
    expect((await mcp(server.baseUrl, callTool(ToolName.account), open.tokens.access_token)).status).toBe(200);
    const resetter = await connectV2(server.baseUrl);
    const sessionId = (await call(resetter, ToolName.createSession)).structuredContent!['sessionId'] as string;
    await call(resetter, ToolName.startPasswordReset, { sessionId, email });
    await call(resetter, ToolName.verifyCode, { sessionId, code: await mailbox.nextCode(email) });
    expect((await call(resetter, ToolName.setPassword, { sessionId, password: 'Lantern-Maple-Voyage-7' })).structuredContent).toMatchObject({ authenticated: true });
    await everythingEnded(open);
    expect((await call(resetter, ToolName.authStatus, { sessionId })).structuredContent).toMatchObject({ authenticated: true, email });
    await resetter.close();
  });

  maybe("the CLI's set-password, run while the server serves, ends them too", async () => {
    const email = 'cli@example.com';
    const open = await everythingOpen(email);
    expect(await accountsCli(['set-password', email, '--password-stdin'], env, 'Granite-Pelican-Harbor-42\n')).toMatchObject({ code: 0 });
    await everythingEnded(open);
  });
});
