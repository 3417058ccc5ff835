/**
 * axe-core (WCAG 2.1 A/AA and best practices) over every state of the widget
 * and of the hosted page, in light and dark:
 * - the widget's screens through the dev harness's fake backend, which
 *   reaches each of them (household profiles, a reset's new password, another
 *   provider's tab and code, locked,
 *   expired, a load that hangs or fails), checking only the widget (#root);
 * - the built widget inside the MCP Apps host's frame;
 * - the hosted linking page: sign-in (with upstream providers' buttons), consent (an unverified app) and the
 *   "can't connect" page, each with the system's colour scheme.
 * Account linking's full flow, with consent for a verified app, is checked in linking.spec.ts.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { Page } from '@playwright/test';
import { expectAccessible } from '../support/axe.js';
import { type DevHarness, startDevHarness } from '../support/dev-harness.js';
import { expect, openWidget, signIn, test, typeCode } from '../support/fixtures.js';
import { useServer } from '../support/server-fixture.js';

const THEMES = ['light', 'dark'] as const;

test.describe('accessibility of every widget screen (dev harness)', () => {
  let harness: DevHarness;
  let origin: string;
  /** Accepts connections and never answers: the widget stays on its loading screen. */
  let silent: Server;
  let silentUrl: string;

  test.beforeAll(async () => {
    harness = await startDevHarness();
    origin = harness.origin;
    silent = createHttpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
  });
  test.afterAll(async () => {
    await harness.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  const open = async (page: Page, scenario: string, theme: string, extra = '') => {
    await page.goto(`${origin}/dev/?scenario=${scenario}&theme=${theme}${extra}`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  };
  const check = (page: Page, state: string) => expectAccessible(page, state, '#root');
  const credentials = async (page: Page) => {
    await page.getByLabel('Email address').fill('lauren@example.com');
    await page.getByLabel('Password').fill('pw');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
  };

  for (const theme of THEMES) {
    test(`sign-in, its errors, the code, a wrong code and success (${theme})`, async ({ page }) => {
      await open(page, 'wrong-code', theme);
      await expect(page.getByLabel('Email address')).toBeVisible();
      await check(page, `credentials ${theme}`);
      await page.getByRole('button', { name: 'Sign In', exact: true }).click();
      await expect(page.getByText('Enter your email address')).toBeVisible();
      await check(page, `credentials with field errors ${theme}`);
      await credentials(page);
      await expect(page.getByText("Verify it's you")).toBeVisible();
      await check(page, `code ${theme}`);
      await typeCode(page, '000000');
      await expect(page.getByRole('alert')).toContainText('4 attempts left');
      await check(page, `wrong code ${theme}`);
      await typeCode(page, '123456');
      await expect(page.getByText('Welcome Back!')).toBeVisible();
      await check(page, `success ${theme}`);
    });

    test(`forgot password, the reset code, a new password and its error (${theme})`, async ({ page }) => {
      await open(page, 'fresh', theme);
      await page.getByRole('button', { name: 'Forgot password?' }).click();
      await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
      await check(page, `forgot ${theme}`);
      await page.getByLabel('Email address').fill('lauren@example.com');
      await page.getByRole('button', { name: 'Send code' }).click();
      await expect(page.getByLabel('Digit 1 of 6')).toBeVisible();
      await check(page, `reset code ${theme}`);
      await typeCode(page, '111111');
      await expect(page.getByLabel('New password')).toBeVisible();
      await check(page, `new password ${theme}`);
      await page.getByLabel('New password').fill('short');
      await page.getByRole('button', { name: /Save/ }).click();
      await expect(page.getByText('Use at least 8 characters')).toBeVisible();
      await check(page, `new password too short ${theme}`);
    });

    test(`profiles, locked, expired, loading, a failed load and a network failure (${theme})`, async ({ page }) => {
      await open(page, 'household', theme);
      await credentials(page);
      await typeCode(page, '111111');
      await expect(page.getByRole('button', { name: /Sam Bailey/ })).toBeVisible();
      await check(page, `profiles ${theme}`);
      await open(page, 'locked', theme);
      await expect(page.getByRole('heading', { name: 'Sign-in locked' })).toBeVisible();
      await check(page, `locked ${theme}`);
      await open(page, 'expired', theme);
      await expect(page.getByRole('heading', { name: 'Sign-in expired' })).toBeVisible();
      await check(page, `expired ${theme}`);
      await open(page, 'fresh', theme, `&backend=server&server=${encodeURIComponent(silentUrl)}`);
      await expect(page.getByRole('status')).toBeVisible();
      await check(page, `loading ${theme}`);
      // Nothing answers: after LOAD_TIMEOUT_MS (10 s) the load has failed.
      await expect(page.getByRole('heading', { name: 'Something went wrong' })).toBeVisible({ timeout: 15_000 });
      await check(page, `load failed ${theme}`);
      await open(page, 'network-failure', theme);
      await page.getByLabel('Email address').fill('lauren@example.com');
      await page.getByLabel('Password').fill('pw');
      await page.getByRole('button', { name: 'Sign In', exact: true }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      await check(page, `network failure ${theme}`);
    });

    test(`another provider: its button, the code with the host's tab, and the link to open (${theme})`, async ({ page }) => {
      await open(page, 'upstream', theme);
      await expect(page.getByRole('button', { name: 'Continue with Google' })).toBeVisible();
      await check(page, `credentials with a provider ${theme}`);
      await page.getByRole('button', { name: 'Continue with Google' }).click();
      await expect(page.getByRole('heading', { name: 'Continue in the new tab' })).toBeVisible();
      await check(page, `upstream, tab opened ${theme}`);
      await page.getByRole('button', { name: 'Use your password instead' }).click();
      // A host that cannot open links: the widget shows the link itself.
      await page.evaluate(() => void ((window as unknown as { openai: { openExternal?: unknown } }).openai.openExternal = undefined));
      await page.getByRole('button', { name: 'Continue with Google' }).click();
      await expect(page.getByRole('heading', { name: 'Sign in with Google' })).toBeVisible();
      await check(page, `upstream, link shown ${theme}`);
    });
  }
});

test.describe('accessibility of the built widget in an MCP Apps host', () => {
  const ctx = useServer();

  for (const theme of THEMES) {
    test(`sign-in, code and success in the host's frame (${theme})`, async ({ page }) => {
      const { widget } = await openWidget(page, 'mcp-apps', ctx.assistant, { theme });
      await expect(widget.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(widget.getByLabel('Email address')).toBeVisible();
      await expectAccessible(page, `host credentials ${theme}`, '#widget');
      await signIn(widget);
      await expectAccessible(page, `host code ${theme}`, '#widget');
      await typeCode(widget, '123456');
      await expect(widget.getByText('Welcome Back!')).toBeVisible();
      await expectAccessible(page, `host success ${theme}`, '#widget');
    });
  }
});

test.describe('accessibility of the hosted linking page', () => {
  // Providers configured (never reached here): the sign-in screen shows their buttons.
  const ctx = useServer({ GOOGLE_CLIENT_ID: 'axe-google', GOOGLE_CLIENT_SECRET: 'axe-secret', MICROSOFT_CLIENT_ID: 'axe-microsoft', MICROSOFT_CLIENT_SECRET: 'axe-secret' });

  for (const theme of THEMES) {
    test(`sign-in, consent for an unverified app, and a link that cannot go on (${theme})`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme: theme });
      const page = await context.newPage();
      const registered = await fetch(`${ctx.server.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'Axe App', redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' }),
      });
      const { client_id: clientId } = (await registered.json()) as { client_id: string };
      const authorize = new URL('/authorize', ctx.server.url);
      const params = {
        client_id: clientId,
        response_type: 'code',
        redirect_uri: 'http://127.0.0.1:9/cb',
        scope: 'account:read',
        state: 'axe',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuwIbuJ8P3g',
        code_challenge_method: 'S256',
        resource: new URL('/mcp', ctx.server.url).href,
      };
      for (const [key, value] of Object.entries(params)) authorize.searchParams.set(key, value);
      await page.goto(authorize.href);
      await expect(page.getByLabel('Email address')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Continue with Microsoft' })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expectAccessible(page, `hosted sign-in ${theme}`);
      await page.getByLabel('Email address').fill('lauren@example.com');
      await page.getByLabel('Password').fill('pw');
      await page.getByRole('button', { name: 'Sign In', exact: true }).click();
      await typeCode(page, '123456');
      await expect(page.getByRole('heading', { name: 'Axe App wants to see your Target account' })).toBeVisible();
      await expect(page.getByRole('note')).toContainText('Unverified app');
      await expectAccessible(page, `hosted consent ${theme}`);
      await page.goto(new URL('/interaction/no-such-interaction', ctx.server.url).href);
      await expect(page.getByRole('heading', { name: "Can't connect right now" })).toBeVisible();
      await expectAccessible(page, `hosted failure ${theme}`);
      await context.close();
    });
  }
});
