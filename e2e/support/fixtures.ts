/**
 * Playwright fixtures: a host page (MCP Apps or ChatGPT-style) served from the
 * built host bundles, wired to a real MCP client, and `openWidget` to run the
 * assistant's part (create session, authenticate-target, read the widget).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type FrameLocator, type Page, test as base } from '@playwright/test';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { type Assistant } from './assistant.js';

export type HostKind = 'mcp-apps' | 'chatgpt';
export const HOSTS: HostKind[] = ['mcp-apps', 'chatgpt'];
/** Served by route interception; https, as real hosts are, so the page is a secure context (Web Crypto). */
export const HOST_ORIGIN = 'https://host.test';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export interface OpenedWidget {
  sessionId: string;
  result: CallToolResult;
  widget: FrameLocator;
  page: Page;
  /** Every request the page made, by URL. */
  requests: string[];
}

/** Loads a host page that answers widget tool calls with `assistant`. */
export async function openHost(page: Page, host: HostKind, assistant: Assistant): Promise<string[]> {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.route(`${HOST_ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\//, '');
    try {
      return route.fulfill({ body: readFileSync(DIST + path), contentType: TYPES[extname(path)] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
  await page.exposeFunction('callServerTool', (name: string, args: Record<string, unknown>) => assistant.call(name, args));
  await page.goto(`${HOST_ORIGIN}/${host}-host.html`);
  await page.waitForFunction(() => window.testHost !== undefined);
  return requests;
}

export async function openWidget(
  page: Page,
  host: HostKind,
  assistant: Assistant,
  options: { sessionId?: string; theme?: 'light' | 'dark' } = {},
): Promise<OpenedWidget> {
  const requests = await openHost(page, host, assistant);
  const sessionId = options.sessionId ?? (await assistant.createSession());
  const { result, html } = await assistant.authenticate(sessionId);
  await page.evaluate((launch) => window.testHost.open(launch), {
    html,
    toolInput: { sessionId },
    toolResult: result,
    theme: options.theme ?? 'light',
  });
  return { sessionId, result, widget: page.frameLocator('#widget'), page, requests };
}

export async function signIn(widget: FrameLocator, email = 'lauren@example.com', password = 'correct-horse'): Promise<void> {
  await widget.getByLabel('Email address').fill(email);
  await widget.getByLabel('Password').fill(password);
  await widget.getByRole('button', { name: 'Sign In', exact: true }).click();
  await expect(widget.getByText("Verify it's you")).toBeVisible();
}

/** Types a code into the six boxes of a widget (in a host frame or on a page). */
export async function typeCode(widget: FrameLocator | Page, code: string): Promise<void> {
  const first = widget.getByLabel('Digit 1 of 6');
  await first.click();
  await first.page().keyboard.type(code);
}

export const test = base;
export { expect };
