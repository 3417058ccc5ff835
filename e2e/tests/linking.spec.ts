/**
 * Account linking with a real OAuth client (the MCP SDK v2's `auth()`):
 * get-target-account refuses without a token and says where to link
 * (`_meta["mcp/www_authenticate"]`, as ChatGPT reads it); the SDK discovers
 * the metadata, registers itself (DCR) and builds the authorization URL;
 * Chromium opens the hosted page, signs in to a real account with the code
 * from the test SMTP server and consents; the SDK exchanges the code; the
 * tool then answers. Then: refresh, reuse of a rotated refresh token revokes
 * the family, revocation, and an expired token gets 401.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth, Client, StreamableHTTPClientTransport, type CallToolResult } from '@modelcontextprotocol/client';
import type { Page, Response } from '@playwright/test';
import { accountsCli, TestMailbox } from '../../apps/server/test/real-mode.js';
import { expect, test, typeCode } from '../support/fixtures.js';
import { resourceMetadataOf, TestOAuthClient } from '../support/oauth-client.js';
import { startServer, type RunningServer } from '../support/server.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const EMAIL = 'link@example.com';
const GUARDED = 'guarded@example.com';
/** Never reached: the page's navigation to it is answered by the test. */
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const TOKEN_TTL_S = 8;

test.describe('account linking (OAuth)', () => {
  const mailbox = new TestMailbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'target-auth-link-'));
  let server: RunningServer;
  let mcpUrl: URL;

  test.beforeAll(async () => {
    const env: Record<string, string> = { DEMO_MODE: 'false', DATA_DIR: dataDir, MAIL_FROM: 'Target <no-reply@target.test>', ACCESS_TOKEN_TTL_S: String(TOKEN_TTL_S) };
    env['SMTP_URL'] = await mailbox.start();
    for (const [email, name] of [[EMAIL, 'Linda Link'], [GUARDED, 'Gus Guarded']] as const) {
      const added = await accountsCli(['add', '--email', email, '--name', name, '--password-stdin'], env, `${PASSWORD}\n`);
      expect(added.code, added.stderr).toBe(0);
    }
    server = await startServer(env);
    mcpUrl = new URL('/mcp', server.url);
  });

  test.afterAll(async () => {
    await server?.stop();
    await mailbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const callAccount = async (accessToken?: string): Promise<CallToolResult> => {
    const client = new Client({ name: 'linking-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, accessToken ? { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } } : {}));
    try {
      return await client.callTool({ name: 'get-target-account', arguments: {} });
    } finally {
      await client.close();
    }
  };

  /** Opens the authorization URL and waits for the browser to be sent back to the client with a code. */
  async function authorizeInBrowser(page: Page, url: URL, steps: (page: Page) => Promise<void>): Promise<URL> {
    let callback: URL | undefined;
    await page.route(`${REDIRECT}**`, (route) => {
      callback = new URL(route.request().url());
      return route.fulfill({ contentType: 'text/plain', body: 'Linked. You can close this window.' });
    });
    await page.goto(url.href);
    await steps(page);
    await expect.poll(() => callback, { timeout: 15_000 }).toBeDefined();
    return callback!;
  }

  test('links with the SDK client, signs in on the hosted page, consents, and get-target-account answers; then refresh, reuse, revocation, expiry', async ({ page }) => {
    // 1. No token: the tool asks for linking, naming the protected-resource metadata.
    const refused = await callAccount();
    expect(refused.isError).toBe(true);
    const [challenge] = (refused._meta?.['mcp/www_authenticate'] ?? []) as string[];
    expect(challenge).toContain('error="invalid_token"');

    // 2. The SDK discovers, registers and builds the authorization URL.
    const oauth = new TestOAuthClient(REDIRECT, 'Linking Test App');
    expect(await auth(oauth, { serverUrl: mcpUrl, resourceMetadataUrl: resourceMetadataOf(challenge!) })).toBe('REDIRECT');
    const authorizationUrl = oauth.authorizationUrl!;
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('resource')).toBe(mcpUrl.href);

    // 3. The hosted page: the widget's screens, then consent.
    const started = Date.now();
    const callback = await authorizeInBrowser(page, authorizationUrl, async (browser) => {
      await expect(browser.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
      await browser.getByLabel('Email address').fill(EMAIL);
      await browser.getByLabel('Password').fill(PASSWORD);
      await browser.getByRole('button', { name: 'Sign In', exact: true }).click();
      await typeCode(browser, await mailbox.codeFor(EMAIL));
      await expect(browser.getByRole('heading', { name: 'Linking Test App wants to see your Target account' })).toBeVisible();
      await expect(browser.getByText('Linda Link')).toBeVisible();
      await browser.getByRole('button', { name: 'Allow' }).click();
    });
    console.log(`linking: signed in and consented in ${Date.now() - started} ms`);
    expect(callback.searchParams.get('iss')).toBe(server.url);
    expect(callback.searchParams.get('state')).toBe('linking-test-state');

    // 4. The SDK exchanges the code; the tool answers with the linked account.
    expect(await auth(oauth, { serverUrl: mcpUrl, authorizationCode: callback.searchParams.get('code')!, iss: callback.searchParams.get('iss')! })).toBe('AUTHORIZED');
    const tokens = oauth.tokens()!;
    const linked = await callAccount(tokens.access_token);
    expect(linked.structuredContent).toEqual({ name: 'Linda Link', email: EMAIL, profile: 'Linda Link' });

    // 5. Refresh rotates; reusing the rotated token (after the retry grace) revokes the family.
    const clientId = oauth.clientInformation()!.client_id;
    const refresh = (refreshToken: string) =>
      fetch(`${server.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, resource: mcpUrl.href }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, string> }));
    const rotated = await refresh(tokens.refresh_token!);
    expect(rotated.status).toBe(200);
    expect(rotated.body['refresh_token']).not.toBe(tokens.refresh_token);
    expect((await callAccount(rotated.body['access_token'])).structuredContent).toMatchObject({ email: EMAIL });
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    expect((await refresh(tokens.refresh_token!)).body['error']).toBe('invalid_grant');
    // The newest refresh token of the family no longer works either.
    expect((await refresh(rotated.body['refresh_token']!)).body['error']).toBe('invalid_grant');
  });

  test('a browser already signed in goes straight to consent; revocation and expiry end access', async ({ page }) => {
    const first = new TestOAuthClient(REDIRECT, 'First App');
    const second = new TestOAuthClient(REDIRECT, 'Second App');
    const linkWith = async (oauth: TestOAuthClient, steps: (page: Page) => Promise<void>) => {
      expect(await auth(oauth, { serverUrl: mcpUrl })).toBe('REDIRECT');
      const callback = await authorizeInBrowser(page, oauth.authorizationUrl!, steps);
      await page.unroute(`${REDIRECT}**`);
      expect(await auth(oauth, { serverUrl: mcpUrl, authorizationCode: callback.searchParams.get('code')!, iss: callback.searchParams.get('iss')! })).toBe('AUTHORIZED');
      return oauth.tokens()!;
    };
    await linkWith(first, async (browser) => {
      await browser.getByLabel('Email address').fill(EMAIL);
      await browser.getByLabel('Password').fill(PASSWORD);
      await browser.getByRole('button', { name: 'Sign In', exact: true }).click();
      await typeCode(browser, await mailbox.codeFor(EMAIL, mailbox.count(EMAIL)));
      await browser.getByRole('button', { name: 'Allow' }).click();
    });
    // Same browser, another app: no password, no code, only consent.
    const tokens = await linkWith(second, async (browser) => {
      await expect(browser.getByRole('heading', { name: 'Second App wants to see your Target account' })).toBeVisible();
      await expect(browser.getByLabel('Password')).toHaveCount(0);
      await browser.getByRole('button', { name: 'Allow' }).click();
    });
    expect((await callAccount(tokens.access_token)).structuredContent).toMatchObject({ name: 'Linda Link' });

    // Revoking the refresh token ends the grant's access tokens.
    const revoked = await fetch(`${server.url}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token!, client_id: second.clientInformation()!.client_id }),
    });
    expect(revoked.status).toBe(200);
    await expect(callAccount(tokens.access_token)).rejects.toThrow(/401|Unauthorized/);

    // The first app's token expires on its own.
    const firstToken = first.tokens()!.access_token;
    await new Promise((resolve) => setTimeout(resolve, TOKEN_TTL_S * 1000 + 1000));
    await expect(callAccount(firstToken)).rejects.toThrow(/401|Unauthorized/);
  });

  test("a browser that signed in before is let straight in while strangers guess; a new browser pays a proof of work and still gets in", async ({ page, browser }) => {
    /** Links a new app in `tab`, signing in on the hosted page; the statuses of its credentials requests. */
    const linkOnce = async (tab: Page): Promise<number[]> => {
      const statuses: number[] = [];
      const watch = (response: Response) => {
        if (new URL(response.url()).pathname === '/api/session/credentials') statuses.push(response.status());
      };
      tab.on('response', watch);
      const oauth = new TestOAuthClient(REDIRECT, 'Device App');
      expect(await auth(oauth, { serverUrl: mcpUrl })).toBe('REDIRECT');
      await authorizeInBrowser(tab, oauth.authorizationUrl!, async (hosted) => {
        await hosted.getByLabel('Email address').fill(GUARDED);
        await hosted.getByLabel('Password').fill(PASSWORD);
        await hosted.getByRole('button', { name: 'Sign In', exact: true }).click();
        await typeCode(hosted, await mailbox.nextCode(GUARDED));
        await hosted.getByRole('button', { name: 'Allow' }).click();
      });
      await tab.unroute(`${REDIRECT}**`);
      tab.off('response', watch);
      return statuses;
    };
    expect(await linkOnce(page)).toEqual([200]);
    // Strangers guess the password, from browsers of their own.
    const stranger = new Client({ name: 'stranger', version: '1.0.0' });
    await stranger.connect(new StreamableHTTPClientTransport(mcpUrl));
    for (let i = 0; i < 8; i++) {
      const { structuredContent } = (await stranger.callTool({ name: 'create-target-session', arguments: {} }));
      const guess = await fetch(`${server.url}/api/session/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: (structuredContent as { sessionId: string }).sessionId, email: GUARDED, password: `Guess-${i}-Wrong` }),
      });
      expect([401, 428]).toContain(guess.status);
    }
    await stranger.close();
    // The browser that signed in before, its sign-in over (no cookie) but its device key kept: no challenge.
    await page.context().clearCookies();
    expect(await linkOnce(page)).toEqual([200]);
    // A browser never seen: asked for the proof of work (428), which the page solves, then let in.
    const fresh = await browser.newContext();
    try {
      expect(await linkOnce(await fresh.newPage())).toEqual([428, 200]);
    } finally {
      await fresh.close();
    }
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`Cancel on the consent screen (${scheme}) sends the app access_denied and leaves nothing behind`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const oauth = new TestOAuthClient(REDIRECT, `Cancel App ${scheme}`);
      expect(await auth(oauth, { serverUrl: mcpUrl })).toBe('REDIRECT');
      const callback = await authorizeInBrowser(page, oauth.authorizationUrl!, async (hosted) => {
        await hosted.getByLabel('Email address').fill(EMAIL);
        await hosted.getByLabel('Password').fill(PASSWORD);
        await hosted.getByRole('button', { name: 'Sign In', exact: true }).click();
        await typeCode(hosted, await mailbox.codeFor(EMAIL, mailbox.count(EMAIL)));
        await expect(hosted.getByRole('heading', { name: `Cancel App ${scheme} wants to see your Target account` })).toBeVisible();
        await expect(hosted.locator('html')).toHaveAttribute('data-theme', scheme);
        // A dynamically registered app only named itself; the code's receiver is shown as it is.
        await expect(hosted.getByRole('note')).toContainText('Unverified app');
        await expect(hosted.locator('.receiver')).toContainText("You'll return to 127.0.0.1:9");
        await hosted.getByRole('button', { name: 'Cancel' }).click();
      });
      await page.unroute(`${REDIRECT}**`);
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('code')).toBeNull();
      expect(oauth.tokens()).toBeUndefined();
      // Nothing was remembered: the same browser, still signed in, is asked again.
      expect(await auth(oauth, { serverUrl: mcpUrl })).toBe('REDIRECT');
      await page.goto(oauth.authorizationUrl!.href);
      await expect(page.getByRole('heading', { name: `Cancel App ${scheme} wants to see your Target account` })).toBeVisible();
      await expect(page.getByLabel('Password')).toHaveCount(0);
    });
  }

  test('the hosted page follows the system colour scheme', async ({ page }) => {
    const oauth = new TestOAuthClient(REDIRECT, 'Theme App');
    expect(await auth(oauth, { serverUrl: mcpUrl })).toBe('REDIRECT');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(oauth.authorizationUrl!.href);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  });
});
