import type { FrameLocator, Page, TestInfo } from '@playwright/test';
import { expect, HOSTS, openWidget, signIn, test, typeCode } from '../support/fixtures.js';
import { useServer } from '../support/server-fixture.js';

const CARD = { light: 'rgb(255, 255, 255)', dark: 'rgb(42, 42, 62)' };

/** Switches the host theme both ways on the open widget, checks it took, and saves a screenshot of each. */
async function bothThemes(page: Page, widget: FrameLocator, host: string, screen: string, info: TestInfo): Promise<void> {
  for (const theme of ['dark', 'light'] as const) {
    await page.evaluate((t) => window.testHost.setTheme(t), theme);
    await expect(widget.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(widget.locator('.auth-card')).toHaveCSS('background-color', CARD[theme]);
    const path = info.outputPath(`${host}-${screen}-${theme}.png`);
    await page.screenshot({ path, animations: 'disabled' });
    await info.attach(`${host}-${screen}-${theme}`, { path, contentType: 'image/png' });
  }
}

for (const host of HOSTS) {
  test.describe(`${host} host: themes`, () => {
    const ctx = useServer({ DEMO_CODE: '246810' });

    test('every screen follows the host theme, also when it changes while open', async ({ page }, info) => {
      const { widget } = await openWidget(page, host, ctx.assistant, { theme: 'dark' });
      await expect(widget.locator('html')).toHaveAttribute('data-theme', 'dark');
      await expect(widget.getByLabel('Email address')).toBeVisible();
      await bothThemes(page, widget, host, 'credentials', info);
      await signIn(widget);
      await bothThemes(page, widget, host, 'verify', info);
      await typeCode(widget, '111111');
      await expect(widget.getByRole('alert')).toContainText('4 attempts left');
      await bothThemes(page, widget, host, 'wrong-code', info);
      await typeCode(widget, '246810');
      await expect(widget.getByText('Welcome Back!')).toBeVisible();
      await bothThemes(page, widget, host, 'success', info);
    });

    test('the locked screen in both themes', async ({ page }, info) => {
      const locked = await openWidget(page, host, ctx.assistant);
      await signIn(locked.widget);
      for (let i = 0; i < 5; i++) await typeCode(locked.widget, '111111').then(() => expect(locked.widget.getByRole('alert')).toBeVisible());
      await expect(locked.widget.getByRole('alert')).toContainText('start a new sign-in');
      await bothThemes(page, locked.widget, host, 'locked', info);
    });
  });

  test.describe(`${host} host: themes of the expired screen`, () => {
    // Sessions live 3 s here, so this test waits for one to expire.
    const ctx = useServer({ SESSION_TTL_MS: '3000' });

    test('the expired screen in both themes', async ({ page }, info) => {
      const sessionId = await ctx.assistant.createSession();
      await new Promise((resolve) => setTimeout(resolve, 3100));
      const expired = await openWidget(page, host, ctx.assistant, { sessionId });
      await expect(expired.widget.getByRole('heading', { name: 'Sign-in expired' })).toBeVisible();
      await bothThemes(page, expired.widget, host, 'expired', info);
    });
  });
}
