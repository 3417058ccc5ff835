import { SESSION_EXPIRED_MESSAGE } from '@target-auth/shared/tools';
import { expect, HOST_ORIGIN, HOSTS, openWidget, signIn, test, typeCode } from '../support/fixtures.js';
import { useServer } from '../support/server-fixture.js';

const PASSWORD = 'correct-horse-battery';

for (const host of HOSTS) {
  test.describe(`${host} host: demo sign-in`, () => {
    const ctx = useServer({ DEMO_USERS: JSON.stringify({ 'ada@example.com': { name: 'Ada Lovelace' }, 'bob@example.com': { name: 'Bob Jones' } }) });

    test('the seed demo: any credentials, any code, Lauren Bailey', async ({ page }) => {
      const { sessionId, result, widget, requests } = await openWidget(page, host, ctx.assistant);
      expect(result.structuredContent).toEqual({ sessionId, authenticated: false, step: 'credentials', providers: [{ id: 'demo', name: 'Demo ID' }] });
      await signIn(widget, 'lauren@example.com', PASSWORD);
      await typeCode(widget, '837261');
      await expect(widget.getByRole('heading', { name: 'Welcome Back!' })).toBeVisible();
      await expect(widget.getByText('Authenticated as Lauren Bailey')).toBeVisible();

      const status = await ctx.assistant.status(sessionId);
      expect(status.structuredContent).toEqual({ authenticated: true, email: 'lauren@example.com', name: 'Lauren Bailey' });

      const logs = ctx.server.output();
      expect(logs).toContain('DEMO MODE');
      expect(logs).not.toContain(PASSWORD);
      expect(logs).not.toContain('837261');
      expect(logs).not.toContain(sessionId);

      const received = await page.evaluate(() => window.testHost.received);
      expect(JSON.stringify(received)).toContain('Lauren Bailey');
      expect(JSON.stringify(received)).not.toContain(PASSWORD);
      expect(JSON.stringify(received)).not.toContain('837261');
      if (host === 'chatgpt') {
        expect(received.at(-1)).toEqual({ modelContent: { authenticated: true, name: 'Lauren Bailey' }, privateContent: { email: 'lauren@example.com' } });
      } else {
        expect(received.at(-1)).toMatchObject({ structuredContent: { authenticated: true, name: 'Lauren Bailey' } });
        // Everything went through the bridge: the widget fetched nothing itself.
        expect(requests.filter((url) => !url.startsWith(HOST_ORIGIN) && !url.startsWith('about:') && !url.startsWith('data:'))).toEqual([]);
      }
    });

    test('verification boxes: typing advances, pasting a whole code works', async ({ page }) => {
      const { widget } = await openWidget(page, host, ctx.assistant);
      await signIn(widget);
      await widget.getByLabel('Digit 1 of 6').click();
      await page.keyboard.type('12');
      await expect(widget.getByLabel('Digit 3 of 6')).toBeFocused();
      await page.keyboard.press('Backspace');
      await expect(widget.getByLabel('Digit 2 of 6')).toBeFocused();
      await expect(widget.getByLabel('Digit 2 of 6')).toHaveValue('');
      await widget.getByLabel('Digit 4 of 6').evaluate((box) => {
        const data = new DataTransfer();
        data.setData('text/plain', '123 456');
        box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      });
      await expect(widget.getByRole('heading', { name: 'Welcome Back!' })).toBeVisible();
    });

    test('authenticate-target again on a signed-in session opens on success', async ({ page, browser }) => {
      const first = await openWidget(page, host, ctx.assistant);
      await signIn(first.widget);
      await typeCode(first.widget, '000000');
      await expect(first.widget.getByText('Welcome Back!')).toBeVisible();

      const again = await openWidget(await browser.newPage(), host, ctx.assistant, { sessionId: first.sessionId });
      expect(again.result.structuredContent).toMatchObject({ authenticated: true, name: 'Lauren Bailey' });
      await expect(again.widget.getByText('Welcome Back!')).toBeVisible();
      await expect(again.widget.getByText('Authenticated as Lauren Bailey')).toBeVisible();
    });

    test('two sessions in two pages do not interfere', async ({ page, browser }) => {
      const other = await browser.newPage();
      const [ada, bob] = await Promise.all([openWidget(page, host, ctx.assistant), openWidget(other, host, ctx.assistant)]);
      await signIn(ada.widget, 'ada@example.com');
      await signIn(bob.widget, 'bob@example.com');
      await typeCode(bob.widget, '222222');
      await typeCode(ada.widget, '111111');
      await expect(ada.widget.getByText('Authenticated as Ada Lovelace')).toBeVisible();
      await expect(bob.widget.getByText('Authenticated as Bob Jones')).toBeVisible();
      expect((await ctx.assistant.status(ada.sessionId)).structuredContent).toEqual({ authenticated: true, email: 'ada@example.com', name: 'Ada Lovelace' });
      expect((await ctx.assistant.status(bob.sessionId)).structuredContent).toEqual({ authenticated: true, email: 'bob@example.com', name: 'Bob Jones' });
    });
  });

  test.describe(`${host} host: wrong codes`, () => {
    const ctx = useServer({ DEMO_CODE: '246810' });

    test('a wrong code shows attempts left; five lock the session, then even the right code fails', async ({ page }) => {
      const { sessionId, widget } = await openWidget(page, host, ctx.assistant);
      await signIn(widget);
      await typeCode(widget, '111111');
      await expect(widget.getByRole('alert')).toHaveText('That code is not right. 4 attempts left.');
      await expect(widget.getByLabel('Digit 1 of 6')).toBeFocused();
      await expect(widget.getByLabel('Digit 1 of 6')).toHaveValue('');
      for (const left of [3, 2, 1]) {
        await typeCode(widget, '111111');
        await expect(widget.getByRole('alert')).toContainText(`${left} attempt`);
      }
      await typeCode(widget, '111111');
      await expect(widget.getByRole('alert')).toContainText('start a new sign-in');
      await expect(widget.getByRole('heading', { name: 'Sign-in locked' })).toBeVisible();
      await expect(widget.getByLabel('Digit 1 of 6')).toHaveCount(0);
      const right = await ctx.assistant.call('verify-target-code', { sessionId, code: '246810' });
      expect(right.isError).toBe(true);
      expect(right.structuredContent).toMatchObject({ error: 'locked' });
      expect((await ctx.assistant.status(sessionId)).structuredContent).toMatchObject({ authenticated: false });
    });
  });

  test.describe(`${host} host: expiry`, () => {
    const ctx = useServer({ SESSION_TTL_MS: '2000' });

    test('an expired session: the status says so and the widget shows the expired screen', async ({ page }) => {
      const { sessionId, widget } = await openWidget(page, host, ctx.assistant);
      await expect(widget.getByLabel('Email address')).toBeVisible();
      await page.waitForTimeout(2100);
      const status = await ctx.assistant.status(sessionId);
      expect(status.structuredContent).toEqual({ authenticated: false, expired: true });
      expect(status.content).toEqual([{ type: 'text', text: SESSION_EXPIRED_MESSAGE }]);
      await widget.getByLabel('Email address').fill('lauren@example.com');
      await widget.getByLabel('Password').fill('pw');
      await widget.getByRole('button', { name: 'Sign In', exact: true }).click();
      await expect(widget.getByRole('heading', { name: 'Sign-in expired' })).toBeVisible();
      await expect(widget.getByText(SESSION_EXPIRED_MESSAGE)).toBeVisible();
    });
  });
}
