/**
 * Real mode (DEMO_MODE=false) in both host harnesses: accounts made with the
 * accounts CLI, codes read from mails an SMTP server in this process receives,
 * the proof-of-work challenge solved by the widget itself in Chromium, the
 * password reset and the household profile picker; and the account page,
 * where an authenticator app set up there is asked for at the next sign-in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolName } from '@target-auth/shared/tools';
import { totpCode } from '../../apps/server/src/accounts/totp.js';
import { accountsCli, TestMailbox } from '../../apps/server/test/real-mode.js';
import { expectAccessible } from '../support/axe.js';
import { expect, HOSTS, openWidget, test, typeCode } from '../support/fixtures.js';
import { useServer } from '../support/server-fixture.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const NEW_PASSWORD = 'Lantern-Maple-Voyage-7';

test.describe('real accounts', () => {
  const mailbox = new TestMailbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'target-auth-e2e-'));
  const env: Record<string, string> = { DEMO_MODE: 'false', DATA_DIR: dataDir, MAIL_FROM: 'Target <no-reply@target.test>' };
  const totpSecrets = new Map<string, string>();

  test.beforeAll(async () => {
    env['SMTP_URL'] = await mailbox.start();
    const add = async (email: string, name: string) => {
      const added = await accountsCli(['add', '--email', email, '--name', name, '--password-stdin'], env, `${PASSWORD}\n`);
      expect(added.code, added.stderr).toBe(0);
    };
    for (const host of HOSTS) {
      await add(`guess-${host}@example.com`, 'Grace Guess');
      await add(`reset-${host}@example.com`, 'Rita Reset');
      await add(`home-${host}@example.com`, 'Sam Home');
      await add(`app-${host}@example.com`, 'Ada App');
      const enabled = await accountsCli(['totp', 'enable', `app-${host}@example.com`], env);
      totpSecrets.set(host, /secret=([A-Z2-7]+)/.exec(enabled.stdout)![1]!);
      expect((await accountsCli(['profile', 'add', `home-${host}@example.com`, 'Alex Home'], env)).code).toBe(0);
    }
    await add('page-app@example.com', 'Tia Page');
  });
  // Registered after the hook above, so the accounts exist before the server opens the database.
  const ctx = useServer(env);
  test.afterAll(async () => {
    await mailbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the account page sets up an authenticator app and adds a household profile (accessible in both themes); the next sign-in asks for the code, then who is signing in', async ({ page }) => {
    const email = 'page-app@example.com';
    await page.goto(`${ctx.server.url}/account`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await typeCode(page, await mailbox.codeFor(email));
    await expect(page.getByRole('heading', { name: 'Your Target account' })).toBeVisible();
    await expect(page.getByText('Off: sign-ins ask for a code mailed to you.')).toBeVisible();
    await page.getByRole('button', { name: 'Set up an authenticator app…' }).click();
    const form = page.getByRole('form', { name: 'Set up an authenticator app' });
    await expect(form.getByRole('img')).toBeVisible();
    const secret = (await form.locator('code.secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expectAccessible(page, `authenticator setup ${theme}`);
    }
    await form.getByLabel('Code from your app').fill(totpCode(secret, Date.now()));
    await form.getByRole('button', { name: 'Turn on' }).click();
    await expect(page.getByText('On: sign-ins ask for a code from your authenticator app.')).toBeVisible();

    await page.getByRole('button', { name: 'Add a profile…' }).click();
    await page.getByLabel('Profile name').fill('Tia Junior');
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expectAccessible(page, `add a profile ${theme}`);
    }
    await page.getByRole('button', { name: 'Add profile' }).click();
    await expect(page.getByText('Tia Junior can be chosen from your next sign-in on.')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Household profiles' }).getByRole('listitem')).toHaveText(['Tia Page', 'Tia Junior']);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();

    // The next sign-in asks for the app's code, not a mailed one, then who is signing in.
    const mailed = mailbox.count(email);
    await page.goto(`${ctx.server.url}/account`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await expect(page.getByText('Enter the 6-digit code from your authenticator app.')).toBeVisible();
    await typeCode(page, totpCode(secret, Date.now() + 30_000));
    await expect(page.getByRole('heading', { name: "Who's signing in?" })).toBeVisible();
    await page.getByRole('button', { name: /Tia Junior/ }).click();
    await expect(page.getByText('Signed in as Tia Page (page-app@example.com), profile Tia Junior')).toBeVisible();
    expect(mailbox.count(email)).toBe(mailed);
  });

  for (const host of HOSTS) {
    test(`${host}: after failed passwords the widget solves the challenge itself and signs in with the mailed code`, async ({ page }) => {
      const email = `guess-${host}@example.com`;
      for (let i = 0; i < 3; i++) {
        const refused = await ctx.assistant.call(ToolName.submitCredentials, { sessionId: await ctx.assistant.createSession(), email, password: `wrong-${i}` });
        expect(refused.structuredContent).toMatchObject({ error: 'invalid_credentials' });
      }
      const { sessionId, widget } = await openWidget(page, host, ctx.assistant);
      await widget.getByLabel('Email address').fill(email);
      await widget.getByLabel('Password').fill(PASSWORD);
      const started = Date.now();
      await widget.getByRole('button', { name: 'Sign In', exact: true }).click();
      await expect(widget.getByText(`Enter the 6-digit code we sent to g•••@example.com.`)).toBeVisible();
      console.log(`${host}: challenge solved and credentials accepted in ${Date.now() - started} ms`);
      await typeCode(widget, await mailbox.codeFor(email));
      await expect(widget.getByText('Authenticated as Grace Guess')).toBeVisible();
      expect((await ctx.assistant.status(sessionId)).structuredContent).toMatchObject({ authenticated: true, email, name: 'Grace Guess' });
      const logs = ctx.server.output();
      for (const secret of [PASSWORD, sessionId]) expect(logs).not.toContain(secret);
    });

    test(`${host}: "Forgot password?" mails a code, takes a new password and signs in`, async ({ page }) => {
      const email = `reset-${host}@example.com`;
      const { widget } = await openWidget(page, host, ctx.assistant);
      await widget.getByRole('button', { name: 'Forgot password?' }).click();
      await widget.getByLabel('Email address').fill(email);
      await widget.getByRole('button', { name: 'Send code' }).click();
      await expect(widget.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
      await expect(widget.getByText('Enter the 6-digit code we sent to r•••@example.com.')).toBeVisible();
      await typeCode(widget, await mailbox.codeFor(email));
      await expect(widget.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
      await widget.getByLabel('New password').fill('password123');
      await widget.getByRole('button', { name: 'Save and sign in' }).click();
      await expect(widget.getByRole('alert')).toContainText('too easy to guess');
      await widget.getByLabel('New password').fill(NEW_PASSWORD);
      await widget.getByRole('button', { name: 'Save and sign in' }).click();
      await expect(widget.getByText('Authenticated as Rita Reset')).toBeVisible();
      const received = JSON.stringify(await page.evaluate(() => window.testHost.received));
      expect(received).not.toContain(NEW_PASSWORD);
      expect(ctx.server.output()).not.toContain(NEW_PASSWORD);
      const old = await ctx.assistant.call(ToolName.submitCredentials, { sessionId: await ctx.assistant.createSession(), email, password: PASSWORD });
      expect(old.structuredContent).toMatchObject({ error: 'invalid_credentials' });
    });

    test(`${host}: "Forgot password?" for an account with an authenticator app asks for the app's code after the mailed one`, async ({ page }) => {
      const email = `app-${host}@example.com`;
      const { sessionId, widget } = await openWidget(page, host, ctx.assistant);
      await widget.getByRole('button', { name: 'Forgot password?' }).click();
      await widget.getByLabel('Email address').fill(email);
      await widget.getByRole('button', { name: 'Send code' }).click();
      await typeCode(widget, await mailbox.codeFor(email));
      await expect(widget.getByText('Enter the 6-digit code from your authenticator app.')).toBeVisible();
      await expect(widget.getByText('Email confirmed. Now the code from your authenticator app.')).toBeVisible();
      await expect(widget.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
      expect((await ctx.assistant.status(sessionId)).structuredContent).toMatchObject({ authenticated: false });
      await typeCode(widget, totpCode(totpSecrets.get(host)!, Date.now()));
      await expect(widget.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
      await widget.getByLabel('New password').fill(NEW_PASSWORD);
      await widget.getByRole('button', { name: 'Save and sign in' }).click();
      await expect(widget.getByText('Authenticated as Ada App')).toBeVisible();
    });

    test(`${host}: a household account picks its profile after the code`, async ({ page }) => {
      const email = `home-${host}@example.com`;
      const { sessionId, widget } = await openWidget(page, host, ctx.assistant);
      await widget.getByLabel('Email address').fill(email);
      await widget.getByLabel('Password').fill(PASSWORD);
      await widget.getByRole('button', { name: 'Sign In', exact: true }).click();
      await typeCode(widget, await mailbox.codeFor(email));
      await expect(widget.getByRole('heading', { name: "Who's signing in?" })).toBeVisible();
      await expect(widget.getByRole('button', { name: /Sam Home/ })).toBeVisible();
      await widget.getByRole('button', { name: /Alex Home/ }).click();
      await expect(widget.getByText('Authenticated as Alex Home')).toBeVisible();
      expect((await ctx.assistant.status(sessionId)).structuredContent).toEqual({ authenticated: true, email, name: 'Sam Home', profile: 'Alex Home' });
    });
  }
});
