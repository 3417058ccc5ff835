/**
 * Passkeys in Chromium with its virtual authenticator (DevTools protocol
 * `WebAuthn`, a platform authenticator with user verification): a person
 * adds a passkey on /account, signs in with it alone on /account and on the
 * hosted page while ChatGPT's harness links the account (then
 * get-target-account answers), and from the widget in both test hosts (the
 * host opens the start link, the chat's code, then the passkey page, and the
 * widget's poll sees the chat signed in); a removed passkey signs in no more.
 * The server's PUBLIC_URL is `localhost`: WebAuthn takes no IP address as
 * relying party.
 */
import { auth, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CDPSession, Page } from '@playwright/test';
import { expectAccessible } from '../support/axe.js';
import { Assistant } from '../support/assistant.js';
import { expect, HOSTS, openWidget, test, typeCode } from '../support/fixtures.js';
import { TestOAuthClient } from '../support/oauth-client.js';
import { startServer, type RunningServer } from '../support/server.js';

const EMAIL = 'keys@example.com';
const CHATGPT_CALLBACK = 'https://chatgpt.com/connector/oauth/cb_passkeys_e2e';

/** A platform authenticator that keeps discoverable credentials and verifies its user. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

test.describe('passkeys', () => {
  let server: RunningServer;

  test.beforeAll(async () => {
    server = await startServer({ DEMO_MODE: 'true' }, { publicHost: 'localhost' });
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  async function signInWithPassword(page: Page, email = EMAIL): Promise<void> {
    await page.goto(`${server.url}/account`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('anything');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await typeCode(page, '123456');
    await expect(page.getByRole('heading', { name: 'Your Target account' })).toBeVisible();
  }

  /** Adds a passkey on the account page, signed in there. */
  async function addPasskey(page: Page, name: string): Promise<void> {
    await page.getByRole('button', { name: 'Add a passkey…' }).click();
    await page.getByLabel('Name it (so you know which one it is)').fill(name);
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await expect(page.getByText('Your passkey is ready: use it to sign in without a password or code.')).toBeVisible();
  }

  for (const host of HOSTS) {
    test(`${host} host: "Sign in with a passkey" in the widget opens the passkey page in the browser, and the passkey alone signs the chat in`, async ({ page, context }) => {
      const email = `chat-${host}@example.com`;
      const tab = await context.newPage();
      await virtualAuthenticator(tab);
      await signInWithPassword(tab, email);
      await addPasskey(tab, 'Phone');
      await tab.getByRole('button', { name: 'Sign out', exact: true }).click();

      const assistant = await Assistant.connect(server.url);
      try {
        const opened = await openWidget(page, host, assistant);
        await opened.widget.getByRole('button', { name: 'Sign in with a passkey' }).click();
        await expect(opened.widget.getByRole('heading', { name: 'Continue in the new tab' })).toBeVisible();
        await expect(opened.widget.getByText('Sign in with a passkey in the tab that opened. When it asks, type this code:')).toBeVisible();
        const code = (await opened.widget.getByLabel(/^Code: /).textContent())!;
        const [link] = await page.evaluate(() => window.testHost.opened);
        expect(link).toMatch(new RegExp(`^${server.url}/auth/start/`));

        // Each host's run checks the passkey page in one theme.
        const theme = host === 'chatgpt' ? 'dark' : 'light';
        await tab.emulateMedia({ colorScheme: theme });
        await tab.goto(link!);
        await expect(tab.getByRole('heading', { name: 'Sign in with a passkey' })).toBeVisible();
        await tab.getByLabel('Code from the chat').fill(code);
        await tab.getByRole('button', { name: 'Continue', exact: true }).click();
        await expect(tab).toHaveURL(`${server.url}/auth/passkey`);
        await expect(tab.getByRole('button', { name: 'Use your passkey' })).toBeVisible();
        await expectAccessible(tab, `passkey page ${theme}`);
        await tab.getByRole('button', { name: 'Use your passkey' }).click();
        await expect(tab.getByRole('heading', { name: 'You are signed in to Target' })).toBeVisible();
        await expectAccessible(tab, `passkey page signed in ${theme}`);

        await expect(opened.widget.getByText('Authenticated as Lauren Bailey')).toBeVisible();
        expect((await assistant.status(opened.sessionId)).structuredContent).toMatchObject({ authenticated: true, email });
        // The page's pass is spent: reloaded, it says so.
        await tab.reload();
        await expect(tab.getByRole('heading', { name: 'This passkey sign-in is over' })).toBeVisible();
        await expectAccessible(tab, `passkey page over ${theme}`);
      } finally {
        await assistant.close();
      }
    });
  }

  test('added on the account page, a passkey signs in alone there and on the hosted page; removed, it signs in no more', async ({ page }) => {
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await signInWithPassword(page);
    await page.getByRole('button', { name: 'Add a passkey…' }).click();
    await page.getByLabel('Name it (so you know which one it is)').fill('Test laptop');
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await expect(page.getByText('Your passkey is ready: use it to sign in without a password or code.')).toBeVisible();
    await expect(page.locator('strong', { hasText: 'Test laptop' })).toBeVisible();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });

    // The account page, signed out: the passkey alone signs in.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('heading', { name: 'Your Target account' })).toBeVisible();
    await expect(page.getByText(EMAIL)).toBeVisible();

    // ChatGPT's harness links the account; the hosted page signs in with the passkey.
    const mcpUrl = new URL('/mcp', server.url);
    const oauth = new TestOAuthClient(CHATGPT_CALLBACK, 'ChatGPT');
    expect(await auth(oauth, { serverUrl: mcpUrl, resourceMetadataUrl: new URL('/.well-known/oauth-protected-resource/mcp', server.url) })).toBe('REDIRECT');
    let callback: URL | undefined;
    await page.route(`${CHATGPT_CALLBACK}**`, (route) => {
      callback = new URL(route.request().url());
      return route.fulfill({ contentType: 'text/plain', body: 'Linked.' });
    });
    await page.goto(oauth.authorizationUrl!.href);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('heading', { name: 'ChatGPT wants to see your Target account' })).toBeVisible();
    await page.getByRole('button', { name: 'Allow' }).click();
    await expect.poll(() => callback, { timeout: 15_000 }).toBeDefined();
    expect(await auth(oauth, { serverUrl: mcpUrl, authorizationCode: callback!.searchParams.get('code')!, iss: callback!.searchParams.get('iss')! })).toBe('AUTHORIZED');
    const client = new Client({ name: 'chatgpt-harness', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${oauth.tokens()!.access_token}` } } }));
    expect((await client.callTool({ name: 'get-target-account', arguments: {} })).structuredContent).toMatchObject({ email: EMAIL });
    await client.close();

    // Removed on the account page (still signed in there by the passkey, recently enough to remove), it signs in no more.
    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: 'Remove Test laptop' }).click();
    await page.getByRole('button', { name: 'Remove passkey' }).click();
    await expect(page.getByText('The passkey “Test laptop” is removed: it signs in no more.')).toBeVisible();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByText('This passkey is not registered with Target, or it was removed. Sign in another way.')).toBeVisible();
    await expect(page.getByLabel('Email address')).toBeVisible();
  });

  test("a cloned authenticator (its counter behind the server's) and a replayed answer are refused", async ({ page }) => {
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await signInWithPassword(page, 'clone@example.com');
    await addPasskey(page, 'Original');
    // What a copy of the authenticator would hold now: the key, at this counter.
    const [copy] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

    // A sign-in with the original, whose answer the page sends (kept here to send again).
    let answered: { sessionId: string; response: unknown } | undefined;
    await page.route('**/account/api/passkey', async (route) => {
      answered = route.request().postDataJSON() as { sessionId: string; response: unknown };
      await route.continue();
    });
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('heading', { name: 'Your Target account' })).toBeVisible();
    await page.unroute('**/account/api/passkey');
    expect(answered).toBeDefined();

    // The same answer for a new sign-in of this browser: its challenge was another one.
    const post = (path: string, data: object) => page.request.post(`${server.url}${path}`, { data, headers: { origin: server.url } });
    const { sessionId } = (await (await post('/account/api/session', {})).json()) as { sessionId: string };
    expect((await post('/account/api/passkey/options', { sessionId })).status()).toBe(200);
    const replayed = await post('/account/api/passkey', { sessionId, response: answered!.response });
    expect(replayed.status()).toBe(400);
    expect(await replayed.json()).toMatchObject({ error: 'passkey_refused' });

    // The clone: the same key with the counter it had before that sign-in.
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: copy!.credentialId });
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: copy! });
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('alert')).toContainText('could not be checked');
    await expect(page.getByLabel('Email address')).toBeVisible();
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the passkey and authenticator screens are accessible (${theme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await virtualAuthenticator(page);
      await signInWithPassword(page, `a11y-${theme}@example.com`);
      await page.getByRole('button', { name: 'Add a passkey…' }).click();
      await expectAccessible(page, `add a passkey ${theme}`);
      await page.getByRole('button', { name: 'Create passkey' }).click();
      await expect(page.getByRole('button', { name: /^Rename / })).toBeVisible();
      await expectAccessible(page, `a passkey listed ${theme}`);
      await page.getByRole('button', { name: /^Rename / }).click();
      await expectAccessible(page, `renaming a passkey ${theme}`);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Change password…' }).click();
      await expectAccessible(page, `change password ${theme}`);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.goto(`${server.url}/account`);
      await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeVisible();
      await expectAccessible(page, `sign-in with a passkey offered ${theme}`);
    });
  }
});
