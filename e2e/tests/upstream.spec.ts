/**
 * Upstream sign-in on the hosted page in Chromium, against a local OpenID
 * provider (Google-like): "Continue with Google" leaves for the provider, the
 * callback brings the browser back to the same interaction, which resumes its
 * session; a new person gets an account and consents, and the SDK's token
 * reads it; an e-mail that has an account asks for that account's code first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Page } from '@playwright/test';
import { startTestIdp, type TestIdp } from '../../apps/server/src/testing/upstream-idp.js';
import { accountsCli, TestMailbox } from '../../apps/server/test/real-mode.js';
import { expect, test, typeCode } from '../support/fixtures.js';
import { TestOAuthClient } from '../support/oauth-client.js';
import { startServer, type RunningServer } from '../support/server.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const HELD = 'held@example.com';
/** Never reached: the page's navigation to it is answered by the test. */
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

test.describe('upstream sign-in on the hosted page', () => {
  const mailbox = new TestMailbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'target-auth-upstream-'));
  let idp: TestIdp;
  let server: RunningServer;
  let mcpUrl: URL;

  test.beforeAll(async () => {
    idp = await startTestIdp();
    const env: Record<string, string> = {
      DEMO_MODE: 'false',
      DATA_DIR: dataDir,
      SMTP_URL: await mailbox.start(),
      GOOGLE_CLIENT_ID: idp.clientId,
      GOOGLE_CLIENT_SECRET: idp.clientSecret,
      GOOGLE_ISSUER: idp.issuer,
    };
    const added = await accountsCli(['add', '--email', HELD, '--name', 'Hal Held', '--password-stdin'], env, `${PASSWORD}\n`);
    expect(added.code, added.stderr).toBe(0);
    server = await startServer(env);
    mcpUrl = new URL('/mcp', server.url);
  });

  test.afterAll(async () => {
    await server?.stop();
    await mailbox.stop();
    await idp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Links a new OAuth client in `page` through `steps`, and reads the linked account with its token. */
  async function linkThrough(page: Page, steps: (page: Page) => Promise<void>): Promise<unknown> {
    const oauth = new TestOAuthClient(REDIRECT, 'Upstream Test App');
    expect(await auth(oauth, { serverUrl: mcpUrl })).toBe('REDIRECT');
    let callback: URL | undefined;
    await page.route(`${REDIRECT}**`, (route) => {
      callback = new URL(route.request().url());
      return route.fulfill({ contentType: 'text/plain', body: 'Linked.' });
    });
    await page.goto(oauth.authorizationUrl!.href);
    await steps(page);
    await expect.poll(() => callback, { timeout: 15_000 }).toBeDefined();
    await page.unroute(`${REDIRECT}**`);
    expect(await auth(oauth, { serverUrl: mcpUrl, authorizationCode: callback!.searchParams.get('code')!, iss: callback!.searchParams.get('iss')! })).toBe('AUTHORIZED');
    const client = new Client({ name: 'upstream-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${oauth.tokens()!.access_token}` } } }));
    try {
      return (await client.callTool({ name: 'get-target-account', arguments: {} })).structuredContent;
    } finally {
      await client.close();
    }
  }

  test('a new person continues with Google, comes back to the same page, consents, and the token reads the new account', async ({ page }) => {
    idp.next({ sub: 'g-nia', email: 'nia@example.com', email_verified: true, name: 'Nia Newcomer' });
    const account = await linkThrough(page, async (browser) => {
      await expect(browser.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
      await browser.getByRole('button', { name: 'Continue with Google' }).click();
      await expect(browser.getByRole('heading', { name: 'Upstream Test App wants to see your Target account' })).toBeVisible();
      await expect(browser.getByText('Nia Newcomer')).toBeVisible();
      await browser.getByRole('button', { name: 'Allow' }).click();
    });
    expect(account).toEqual({ name: 'Nia Newcomer', email: 'nia@example.com', profile: 'Nia Newcomer' });
  });

  test("an e-mail that has an account asks for that account's code on the way back, then links it", async ({ page }) => {
    idp.next({ sub: 'g-held', email: HELD, email_verified: true, name: 'Somebody' });
    const account = await linkThrough(page, async (browser) => {
      await browser.getByRole('button', { name: 'Continue with Google' }).click();
      await expect(browser.getByRole('heading', { name: "Confirm it's your account" })).toBeVisible();
      await typeCode(browser, await mailbox.codeFor(HELD));
      await browser.getByRole('button', { name: 'Allow' }).click();
    });
    expect(account).toMatchObject({ name: 'Hal Held', email: HELD });
  });
});
