/**
 * Upstream sign-in in Chromium, against a local OpenID provider (Google-like).
 * On the hosted page: "Continue with Google" leaves for the provider, the
 * callback brings the browser back to the same interaction, which resumes its
 * session; a new person gets an account and consents, and the SDK's token
 * reads it; an e-mail that has an account asks for that account's code first.
 * In the widget, in both test hosts: the host is asked to open the start link,
 * the test follows it in a page of its own and types the widget's code there,
 * the provider sends that tab back, and the widget's poll moves on (to the
 * success screen, or to the account's code and the household's profiles).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { BrowserContext, Page } from '@playwright/test';
import { startTestIdp, type TestIdp } from '../../apps/server/src/testing/upstream-idp.js';
import { accountsCli, TestMailbox } from '../../apps/server/test/real-mode.js';
import { Assistant } from '../support/assistant.js';
import { expect, HOSTS, openWidget, test, typeCode } from '../support/fixtures.js';
import { TestOAuthClient } from '../support/oauth-client.js';
import { useServer } from '../support/server-fixture.js';
import { startServer, type RunningServer } from '../support/server.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const HELD = 'held@example.com';
const HOME = 'home@example.com';
/** Never reached: the page's navigation to it is answered by the test. */
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

/** Links a new OAuth client in `page` through `steps`, and reads the linked account with its token. */
async function linkThrough(page: Page, mcpUrl: URL, steps: (page: Page) => Promise<void>): Promise<unknown> {
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

test.describe('upstream sign-in', () => {
  const mailbox = new TestMailbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'target-auth-upstream-'));
  let idp: TestIdp;
  let server: RunningServer;
  let mcpUrl: URL;
  let assistant: Assistant;

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
    for (const [email, name] of [[HELD, 'Hal Held'], [HOME, 'Sam Home']] as const) {
      const added = await accountsCli(['add', '--email', email, '--name', name, '--password-stdin'], env, `${PASSWORD}\n`);
      expect(added.code, added.stderr).toBe(0);
    }
    expect((await accountsCli(['profile', 'add', HOME, 'Alex Home'], env)).code).toBe(0);
    server = await startServer(env);
    mcpUrl = new URL('/mcp', server.url);
    assistant = await Assistant.connect(server.url);
  });

  test.afterAll(async () => {
    await assistant?.close();
    await server?.stop();
    await mailbox.stop();
    await idp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a new person continues with Google, comes back to the same page, consents, and the token reads the new account', async ({ page }) => {
    idp.next({ sub: 'g-nia', email: 'nia@example.com', email_verified: true, name: 'Nia Newcomer' });
    const account = await linkThrough(page, mcpUrl, async (browser) => {
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
    const account = await linkThrough(page, mcpUrl, async (browser) => {
      await browser.getByRole('button', { name: 'Continue with Google' }).click();
      await expect(browser.getByRole('heading', { name: "Confirm it's your account" })).toBeVisible();
      await typeCode(browser, await mailbox.codeFor(HELD));
      await browser.getByRole('button', { name: 'Allow' }).click();
    });
    expect(account).toMatchObject({ name: 'Hal Held', email: HELD });
  });

  for (const host of HOSTS) {
    /** "Continue with Google" in the widget: the link the host was asked to open, followed in a tab of its own with the widget's code. */
    async function continueInTab(opened: Awaited<ReturnType<typeof openWidget>>, context: BrowserContext) {
      await opened.widget.getByRole('button', { name: 'Continue with Google' }).click();
      await expect(opened.widget.getByRole('heading', { name: 'Continue in the new tab' })).toBeVisible();
      const code = (await opened.widget.getByLabel(/^Code: /).textContent())!;
      const [link] = await opened.page.evaluate(() => window.testHost.opened);
      expect(link).toMatch(new RegExp(`^${server.url}/auth/start/`));
      const tab = await context.newPage();
      await tab.goto(link!);
      await expect(tab.getByRole('heading', { name: 'Continue to Google' })).toBeVisible();
      await tab.getByLabel('Code from the chat').fill(code.toLowerCase());
      await tab.getByRole('button', { name: 'Continue to Google' }).click();
      return tab;
    }

    test(`${host} host: a new person continues with Google in a new tab; the widget sees it and signs in`, async ({ page, context }) => {
      idp.next({ sub: `g-tab-${host}`, email: `tab-${host}@example.com`, email_verified: true, name: 'Tab Person' });
      const opened = await openWidget(page, host, assistant);
      expect(opened.result.structuredContent).toMatchObject({ step: 'credentials', providers: [{ id: 'google', name: 'Google' }] });
      const tab = await continueInTab(opened, context);
      await expect(tab.getByRole('heading', { name: 'You are signed in to Target' })).toBeVisible();
      await expect(opened.widget.getByText('Authenticated as Tab Person')).toBeVisible();
      expect((await assistant.status(opened.sessionId)).structuredContent).toMatchObject({ authenticated: true, email: `tab-${host}@example.com` });
    });

    test(`${host} host: a household's e-mail confirms the account's code in the widget, then picks a profile`, async ({ page, context }) => {
      idp.next({ sub: `g-home-${host}`, email: HOME, email_verified: true, name: 'Somebody' });
      const opened = await openWidget(page, host, assistant);
      const sent = mailbox.count(HOME);
      const tab = await continueInTab(opened, context);
      await expect(tab.getByRole('heading', { name: 'One more step in the chat' })).toBeVisible();
      await expect(opened.widget.getByRole('heading', { name: "Confirm it's your account" })).toBeVisible();
      await typeCode(opened.widget, await mailbox.codeFor(HOME, sent));
      await opened.widget.getByRole('button', { name: /Alex Home/ }).click();
      await expect(opened.widget.getByText('Authenticated as Alex Home')).toBeVisible();
      expect((await assistant.status(opened.sessionId)).structuredContent).toEqual({ authenticated: true, email: HOME, name: 'Sam Home', profile: 'Alex Home' });
    });
  }
});

test.describe('Demo ID in demo mode (the README walkthrough)', () => {
  const ctx = useServer();

  /** Demo ID's own page: any name and e-mail. */
  async function signInToDemoId(page: Page, name: string, email: string): Promise<void> {
    await expect(page.getByRole('heading', { name: 'Sign in to Demo ID' })).toBeVisible();
    await page.getByLabel('Your name').fill(name);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Sign in to Demo ID' }).click();
  }

  test('on the hosted page: Continue with Demo ID, any name, back to consent, and the token reads that person', async ({ page }) => {
    const account = await linkThrough(page, new URL('/mcp', ctx.server.url), async (browser) => {
      await browser.getByRole('button', { name: 'Continue with Demo ID' }).click();
      await signInToDemoId(browser, 'Grace Hopper', 'grace@example.com');
      await expect(browser.getByRole('heading', { name: 'Upstream Test App wants to see your Target account' })).toBeVisible();
      await browser.getByRole('button', { name: 'Allow' }).click();
    });
    expect(account).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com' });
  });

  test('in the widget (ChatGPT host): the start link, the code, Demo ID, and the widget signs in', async ({ page, context }) => {
    const opened = await openWidget(page, 'chatgpt', ctx.assistant);
    await opened.widget.getByRole('button', { name: 'Continue with Demo ID' }).click();
    const code = (await opened.widget.getByLabel(/^Code: /).textContent())!;
    const tab = await context.newPage();
    await tab.goto((await page.evaluate(() => window.testHost.opened))[0]!);
    await tab.getByLabel('Code from the chat').fill(code);
    await tab.getByRole('button', { name: 'Continue to Demo ID' }).click();
    await signInToDemoId(tab, 'Alan Turing', 'alan@example.com');
    await expect(tab.getByRole('heading', { name: 'You are signed in to Target' })).toBeVisible();
    await expect(opened.widget.getByText('Authenticated as Alan Turing')).toBeVisible();
  });
});
