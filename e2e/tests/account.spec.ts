/**
 * The account page in Chromium (demo mode): a person links ChatGPT's harness
 * (the MCP SDK's own OAuth client, with ChatGPT's callback URI), opens
 * /account, signs in, sees ChatGPT listed, revokes it, and the harness loses
 * access (its next tool call is refused and its refresh fails). Then sign
 * out everywhere, and axe over every state in light and dark.
 */
import { auth, Client, StreamableHTTPClientTransport, type CallToolResult } from '@modelcontextprotocol/client';
import type { Page } from '@playwright/test';
import { expectAccessible } from '../support/axe.js';
import { expect, test, typeCode } from '../support/fixtures.js';
import { TestOAuthClient } from '../support/oauth-client.js';
import { startServer, type RunningServer } from '../support/server.js';

const EMAIL = 'lauren@example.com';
/** ChatGPT's documented callback: the consent screen and the account page name it ChatGPT. */
const CHATGPT_CALLBACK = 'https://chatgpt.com/connector/oauth/cb_account_e2e';

test.describe('the account page', () => {
  let server: RunningServer;
  let mcpUrl: URL;

  test.beforeAll(async () => {
    server = await startServer({ DEMO_MODE: 'true' });
    mcpUrl = new URL('/mcp', server.url);
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  const callAccount = async (accessToken: string): Promise<CallToolResult> => {
    const client = new Client({ name: 'chatgpt-harness', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }));
    try {
      return await client.callTool({ name: 'get-target-account', arguments: {} });
    } finally {
      await client.close();
    }
  };

  const refresh = (clientId: string, refreshToken: string) =>
    fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, resource: mcpUrl.href }),
    }).then((response) => response.status);

  /** ChatGPT's harness links the account in `page`: sign in on the hosted page, Allow; the SDK gets tokens. */
  async function linkChatGpt(page: Page): Promise<{ oauth: TestOAuthClient; accessToken: string; refreshToken: string }> {
    const oauth = new TestOAuthClient(CHATGPT_CALLBACK, 'ChatGPT');
    expect(await auth(oauth, { serverUrl: mcpUrl, resourceMetadataUrl: new URL('/.well-known/oauth-protected-resource/mcp', server.url) })).toBe('REDIRECT');
    let callback: URL | undefined;
    await page.route(`${CHATGPT_CALLBACK}**`, (route) => {
      callback = new URL(route.request().url());
      return route.fulfill({ contentType: 'text/plain', body: 'Linked.' });
    });
    await page.goto(oauth.authorizationUrl!.href);
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel('Password').fill('anything');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await typeCode(page, '123456');
    await expect(page.getByRole('heading', { name: 'ChatGPT wants to see your Target account' })).toBeVisible();
    await page.getByRole('button', { name: 'Allow' }).click();
    await expect.poll(() => callback, { timeout: 15_000 }).toBeDefined();
    expect(await auth(oauth, { serverUrl: mcpUrl, authorizationCode: callback!.searchParams.get('code')!, iss: callback!.searchParams.get('iss')! })).toBe('AUTHORIZED');
    const tokens = oauth.tokens()!;
    return { oauth, accessToken: tokens.access_token, refreshToken: tokens.refresh_token! };
  }

  async function signInOnAccountPage(page: Page): Promise<void> {
    await page.goto(`${server.url}/account`);
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel('Password').fill('anything');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await typeCode(page, '123456');
    await expect(page.getByRole('heading', { name: 'Your Target account' })).toBeVisible();
  }

  test('a person links ChatGPT, sees it on /account, revokes it, and ChatGPT loses access', async ({ page }) => {
    const linked = await linkChatGpt(page);
    expect((await callAccount(linked.accessToken)).structuredContent).toMatchObject({ email: EMAIL });

    await signInOnAccountPage(page);
    const app = page.getByRole('listitem').filter({ hasText: 'ChatGPT' });
    await expect(app.getByText('Sends sign-ins to chatgpt.com')).toBeVisible();
    await expect(app.getByText('Can: See your name and e-mail address')).toBeVisible();
    await expect(app.getByText(/last used/)).toBeVisible();
    await app.getByRole('button', { name: 'Revoke ChatGPT' }).click();
    await app.getByRole('button', { name: 'Revoke access' }).click();
    await expect(page.getByText('ChatGPT can no longer use your account.')).toBeVisible();
    await expect(page.getByText(/No apps can use your account/)).toBeVisible();

    await expect(callAccount(linked.accessToken)).rejects.toThrow('The access token is invalid or expired.');
    expect(await refresh(linked.oauth.clientInformation()!.client_id, linked.refreshToken)).toBe(400);

    // Still signed in after a reload; signing out of the page leaves it signed out.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Your Target account' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed out' })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Email address')).toBeVisible();
  });

  test('sign out everywhere ends ChatGPT\'s tokens and the page', async ({ page }) => {
    const linked = await linkChatGpt(page);
    await signInOnAccountPage(page);
    await page.getByRole('button', { name: 'Sign out everywhere…' }).click();
    await page.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Signed out everywhere' })).toBeVisible();
    await expect(callAccount(linked.accessToken)).rejects.toThrow('The access token is invalid or expired.');
    expect(await refresh(linked.oauth.clientInformation()!.client_id, linked.refreshToken)).toBe(400);
    await page.reload();
    await expect(page.getByLabel('Email address')).toBeVisible();
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`every state is accessible (${theme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await linkChatGpt(page);
      await page.goto(`${server.url}/account`);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(page.getByLabel('Email address')).toBeVisible();
      await expectAccessible(page, `account sign-in ${theme}`);
      await page.getByLabel('Email address').fill(EMAIL);
      await page.getByLabel('Password').fill('anything');
      await page.getByRole('button', { name: 'Sign In', exact: true }).click();
      await typeCode(page, '123456');
      await expect(page.getByRole('listitem').first()).toBeVisible();
      await expectAccessible(page, `account with apps ${theme}`);
      await page.getByRole('button', { name: /^Revoke / }).first().click();
      await expectAccessible(page, `revoke confirmation ${theme}`);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Sign out everywhere…' }).click();
      await expectAccessible(page, `sign out everywhere confirmation ${theme}`);
      await page.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Signed out everywhere' })).toBeVisible();
      await expectAccessible(page, `signed out everywhere ${theme}`);
    });
  }

  test('cannot be framed by another site', async ({ page }) => {
    const response = await page.request.get(`${server.url}/account`);
    expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers()['x-frame-options']).toBe('DENY');
    await page.setContent(`<iframe src="${server.url}/account" title="framed"></iframe>`);
    await expect(page.frameLocator('iframe').getByText('Your Target account')).toHaveCount(0);
  });
});
