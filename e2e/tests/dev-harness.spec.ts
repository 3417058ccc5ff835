import { fileURLToPath } from 'node:url';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { freePort } from '@target-auth/testing/ports';
import { Assistant } from '../support/assistant.js';
import { expect, test, typeCode } from '../support/fixtures.js';
import { type RunningServer, startServer } from '../support/server.js';

const WIDGET = fileURLToPath(new URL('../../apps/widget/', import.meta.url));

test.describe('standalone dev harness (mocked window.openai)', () => {
  let vite: ViteDevServer;
  let origin: string;
  let server: RunningServer;

  test.beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    vite = await createServer({
      root: WIDGET,
      configFile: `${WIDGET}vite.dev.config.ts`,
      logLevel: 'error',
      server: { port, strictPort: true, host: 'localhost', hmr: false },
    });
    await vite.listen();
    server = await startServer({ ALLOWED_ORIGINS: origin });
  });
  test.afterAll(async () => {
    await vite.close();
    await server.stop();
  });

  for (const backend of ['fake', 'server'] as const) {
    test(`loads and completes the flow against the ${backend} backend`, async ({ page }) => {
      await page.goto(`${origin}/dev/?scenario=fresh&backend=${backend}&server=${encodeURIComponent(server.url)}`);
      await page.getByLabel('Email address').fill('lauren@example.com');
      await page.getByLabel('Password').fill('pw');
      await page.getByRole('button', { name: 'Sign In' }).click();
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
    await page.getByRole('button', { name: 'Sign In' }).click();
    await expect(page.getByText("Verify it's you")).toBeVisible();
    expect(calls).toContain(`${server.url}/mcp`);
  });

  test('says on the page when the server is down', async ({ page }) => {
    const down = `http://127.0.0.1:${await freePort()}`;
    await page.goto(`${origin}/dev/?server=${encodeURIComponent(down)}`);
    await expect(page.locator('#dev-status')).toHaveText(`Cannot reach the server at ${down}. Start it (pnpm start) and reload.`);
  });

  test('starts from the chosen scenario and switches theme live', async ({ page }) => {
    await page.goto(`${origin}/dev/?scenario=locked&theme=dark`);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByLabel('theme').selectOption('light');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await typeCode(page, '000000');
    await expect(page.getByRole('alert')).toContainText('start a new sign-in');
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
    await page.getByRole('button', { name: 'Sign In' }).click();
    await typeCode(page, '123456');
    await expect(page.getByText('Authenticated as Lauren Bailey')).toBeVisible();
    expect(calls).toEqual(expect.arrayContaining(['POST /api/session/credentials', 'POST /api/session/authenticate']));
    expect((await assistant.status(sessionId)).structuredContent).toMatchObject({ authenticated: true });
    await assistant.close();
  });
});
