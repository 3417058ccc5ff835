import { preview, type PreviewServer } from 'vite';
import { freePort } from '@target-auth/testing/ports';
import { Assistant } from '../support/assistant.js';
import { type DevHarness, startDevHarness, WIDGET } from '../support/dev-harness.js';
import { expect, test, typeCode } from '../support/fixtures.js';
import { type RunningServer, startServer } from '../support/server.js';

test.describe('standalone dev harness (mocked window.openai)', () => {
  let harness: DevHarness;
  let origin: string;
  let server: RunningServer;

  test.beforeAll(async () => {
    harness = await startDevHarness();
    origin = harness.origin;
    server = await startServer({ ALLOWED_ORIGINS: origin });
  });
  test.afterAll(async () => {
    await harness.close();
    await server.stop();
  });

  for (const backend of ['fake', 'server'] as const) {
    test(`loads and completes the flow against the ${backend} backend`, async ({ page }) => {
      await page.goto(`${origin}/dev/?scenario=fresh&backend=${backend}&server=${encodeURIComponent(server.url)}`);
      await page.getByLabel('Email address').fill('lauren@example.com');
      await page.getByLabel('Password').fill('pw');
      await page.getByRole('button', { name: 'Sign In', exact: true }).click();
      await expect(page.getByText("Verify it's you")).toBeVisible();
      await typeCode(page, '123456');
      await expect(page.getByText('Authenticated as Lauren Bailey')).toBeVisible();
      await expect(page.locator('#dev-widget-state')).toContainText('"name":"Lauren Bailey"');
    });
  }

  test('opens on the harness at /, and ?server= alone uses that real server', async ({ page }) => {
    const calls: string[] = [];
    page.on('request', (request) => calls.push(request.url()));
    await page.goto(`${origin}/?server=${encodeURIComponent(server.url)}`);
    await expect(page).toHaveURL(`${origin}/dev/?server=${encodeURIComponent(server.url)}`);
    await page.getByLabel('Email address').fill('lauren@example.com');
    await page.getByLabel('Password').fill('pw');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await expect(page.getByText("Verify it's you")).toBeVisible();
    expect(calls).toContain(`${server.url}/mcp`);
  });

  test('says on the page when the server is down', async ({ page }) => {
    const down = `http://127.0.0.1:${await freePort()}`;
    await page.goto(`${origin}/dev/?server=${encodeURIComponent(down)}`);
    await expect(page.locator('#dev-status')).toHaveText(`Cannot reach the server at ${down}. Start it (pnpm start) and reload.`);
  });

  test('starts from the chosen scenario and switches theme live', async ({ page }) => {
    await page.goto(`${origin}/dev/?scenario=wrong-code&theme=dark`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByLabel('theme').selectOption('light');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.getByLabel('Email address').fill('lauren@example.com');
    await page.getByLabel('Password').fill('pw');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await typeCode(page, '000000');
    await expect(page.getByRole('alert')).toContainText('4 attempts left');
  });

  test('keeps the theme when the scenario changes, and the locked scenario opens locked', async ({ page }) => {
    await page.goto(`${origin}/dev/?scenario=fresh`);
    await page.getByLabel('theme').selectOption('dark');
    await page.getByLabel('scenario').selectOption('locked');
    await expect(page).toHaveURL(/scenario=locked/);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByLabel('theme')).toHaveValue('dark');
    await expect(page.getByRole('heading', { name: 'Sign-in locked' })).toBeVisible();
    await expect(page.getByLabel('Digit 1 of 6')).toHaveCount(0);
  });

  test('wraps a long widget state inside the panel, above the card', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 720 });
    await page.goto(`${origin}/dev/?scenario=signed-in`);
    await expect(page.locator('#dev-widget-state')).toContainText('"privateContent"');
    const panel = await page.locator('#dev-panel').boundingBox();
    const state = await page.locator('#dev-widget-state').boundingBox();
    const card = await page.locator('.auth-card').boundingBox();
    expect(state!.x + state!.width).toBeLessThanOrEqual(panel!.x + panel!.width);
    expect(state!.height).toBeGreaterThan(20);
    expect(card!.y).toBeGreaterThanOrEqual(panel!.y + panel!.height);
    const { scroll, client } = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
  });
});

test.describe('built widget without any host (HTTP API fallback)', () => {
  let site: PreviewServer;
  let origin: string;
  let server: RunningServer;

  test.beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    site = await preview({ root: WIDGET, configFile: false, logLevel: 'error', preview: { port, strictPort: true, host: 'localhost' } });
    server = await startServer({ ALLOWED_ORIGINS: origin });
  });
  test.afterAll(async () => {
    await new Promise<void>((resolve) => site.httpServer.close(() => resolve()));
    await server.stop();
  });

  test('signs in through POST /api/session/credentials and /authenticate', async ({ page }) => {
    const assistant = await Assistant.connect(server.url);
    const sessionId = await assistant.createSession();
    const calls: string[] = [];
    page.on('request', (request) => calls.push(`${request.method()} ${new URL(request.url()).pathname}`));
    await page.goto(`${origin}/?api=${encodeURIComponent(server.url)}&sessionId=${sessionId}`);
    await page.getByLabel('Email address').fill('lauren@example.com');
    await page.getByLabel('Password').fill('pw');
    await page.getByRole('button', { name: 'Sign In', exact: true }).click();
    await typeCode(page, '123456');
    await expect(page.getByText('Authenticated as Lauren Bailey')).toBeVisible();
    expect(calls).toEqual(expect.arrayContaining(['POST /api/session/credentials', 'POST /api/session/authenticate']));
    expect((await assistant.status(sessionId)).structuredContent).toMatchObject({ authenticated: true });
    await assistant.close();
  });
});
