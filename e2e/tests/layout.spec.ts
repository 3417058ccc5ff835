import { expect, openWidget, signIn, test, typeCode } from '../support/fixtures.js';
import { useServer } from '../support/server-fixture.js';

test.describe('layout and motion (MCP Apps host)', () => {
  const ctx = useServer();

  test('fits a 320 px wide frame without horizontal scrolling, on every step', async ({ page }, info) => {
    await page.setViewportSize({ width: 320, height: 560 });
    const { widget } = await openWidget(page, 'mcp-apps', ctx.assistant);
    const fits = async () => {
      const { scroll, client } = await widget.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
      expect(scroll).toBeLessThanOrEqual(client);
    };
    await expect(widget.getByLabel('Email address')).toBeVisible();
    await fits();
    await signIn(widget);
    await fits();
    const box = await widget.getByLabel('Digit 6 of 6').boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(320);
    await page.screenshot({ path: info.outputPath('mcp-apps-verify-320px.png') });
    await typeCode(widget, '123456');
    await expect(widget.getByText('Welcome Back!')).toBeVisible();
    await fits();
  });

  test('keeps one card width on every screen, whatever its content', async ({ page }) => {
    const { widget } = await openWidget(page, 'mcp-apps', ctx.assistant);
    const width = () => widget.locator('.auth-card').evaluate((card) => Math.round(card.getBoundingClientRect().width));
    await expect(widget.getByLabel('Email address')).toBeVisible();
    const widths = [await width()];
    await widget.getByRole('button', { name: 'Forgot password?' }).click();
    widths.push(await width());
    await widget.getByRole('button', { name: 'Back to sign in' }).click();
    await signIn(widget);
    widths.push(await width());
    await typeCode(widget, '123456');
    await expect(widget.getByText('Welcome Back!')).toBeVisible();
    widths.push(await width());
    // The frame is 480 px wide here: the card takes its 400 px on every screen.
    expect(widths).toEqual([400, 400, 400, 400]);
  });

  test('tells the host its content height, which follows the screen', async ({ page }) => {
    const { widget } = await openWidget(page, 'mcp-apps', ctx.assistant);
    await expect(widget.getByLabel('Email address')).toBeVisible();
    const frameHeight = () => page.locator('#widget').evaluate((frame) => frame.getBoundingClientRect().height);
    const cardBottom = () => widget.locator('.auth-card').evaluate((card) => card.getBoundingClientRect().bottom);
    await expect.poll(frameHeight).toBeLessThan(640);
    expect(Math.abs((await frameHeight()) - ((await cardBottom()) + 16))).toBeLessThanOrEqual(2);
    const before = await frameHeight();
    await widget.getByRole('button', { name: 'Sign In', exact: true }).click();
    await expect(widget.getByText('Enter your password')).toBeVisible();
    await expect.poll(frameHeight).toBeGreaterThan(before);
  });

  test('shows focus visibly and respects prefers-reduced-motion', async ({ browser }) => {
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    const { widget } = await openWidget(page, 'mcp-apps', ctx.assistant);
    await widget.getByLabel('Email address').focus();
    await page.keyboard.press('Tab');
    await expect(widget.getByLabel('Password')).toBeFocused();
    await expect(widget.getByLabel('Password')).not.toHaveCSS('outline-style', 'none');
    await signIn(widget);
    await typeCode(widget, '123456');
    await expect(widget.locator('.checkmark-check')).toHaveCSS('animation-duration', '0s');
    await context.close();
  });
});
