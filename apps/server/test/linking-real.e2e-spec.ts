/**
 * Account linking in real mode: stored accounts (PostgreSQL, so the accounts
 * CLI can change them while the server runs, as an operator would), codes read
 * from the mails sent. A linked account that is disabled loses its access, and
 * one disabled between signing in and consenting gets no grant.
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { ToolName } from '@target-auth/shared/tools';
import { postgresAvailable, postgresTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { itWhen } from '../src/testing/services.js';
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
const credentials = (email: string) => ({ email, password: PASSWORD, code: () => mailbox.codeFor(email, mailbox.count(email) - 1) });

beforeAll(async () => {
  if (!havePostgres) return;
  const smtpUrl = await mailbox.start();
  database = await postgresTestDatabase();
  env = { ...database.env, DEMO_MODE: 'false', SMTP_URL: smtpUrl, MAIL_FROM: 'Target <no-reply@target.test>' };
  await addAccount('linked@example.com', 'Lena Linked');
  await addAccount('between@example.com', 'Bea Between');
  server = await startLinkingServer(env);
});

afterAll(async () => {
  if (!havePostgres) return;
  await server.close();
  await database.drop();
  await mailbox.stop();
});

describe('account linking with stored accounts (e2e)', () => {
  maybe('links a stored account; once it is disabled, its access token and refresh token stop working', async () => {
    const client = await register(server.baseUrl);
    const tokens = await linkedTokens(server, client, credentials('linked@example.com'));
    const linked = await mcp(server.baseUrl, callTool(ToolName.account), tokens.access_token);
    expect(linked.json).toMatchObject({ result: { structuredContent: { name: 'Lena Linked', email: 'linked@example.com' } } });

    await disable('linked@example.com');
    const after = await mcp(server.baseUrl, callTool(ToolName.account), tokens.access_token);
    expect(after.json).toMatchObject({
      result: { isError: true, structuredContent: { error: 'link_required', message: 'The linked Target account is no longer available. Link it again.' } },
    });
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
});
