/**
 * Figure 5: the widget's HTML and gzip bytes, and the time from navigation to
 * the first usable screen (the email field ready) in headless Chromium.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { chromiumLaunchOptions } from '@target-auth/testing/chromium';
import { chromium } from 'playwright-core';
import { median } from './stats.js';

export interface WidgetFigures {
  htmlBytes: number;
  gzipBytes: number;
  firstUsableMs: number | null;
  runs: number;
}

export async function measureWidget(runs = 20): Promise<WidgetFigures> {
  const html = readFileSync(createRequire(import.meta.url).resolve('@target-auth/widget/html'));
  const figures = { htmlBytes: html.length, gzipBytes: gzipSync(html, { level: 9 }).length, runs };
  let browser;
  try {
    browser = await chromium.launch(chromiumLaunchOptions());
  } catch (error) {
    console.error(`widget: no Chromium (${(error as Error).message.split('\n')[0]}); skipping the load time`);
    return { ...figures, firstUsableMs: null };
  }
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const page = await browser.newPage();
    await page.route('http://widget.test/**', (route) => route.fulfill({ body: html, contentType: 'text/html' }));
    await page.goto('http://widget.test/?sessionId=sess_AAAAAAAAAAAAAAAAAAAAAAAA&api=http://127.0.0.1:9', { waitUntil: 'commit' });
    // performance.now() at the first frame where the email field exists: time since navigation start.
    const ready = await page.waitForFunction(() => (document.querySelector('input[autocomplete="email"]') ? performance.now() : 0), undefined, { polling: 'raf' });
    const ms = (await ready.jsonValue());
    if (i >= 2) times.push(ms); // the first two warm the browser
    await page.close();
  }
  await browser.close();
  return { ...figures, firstUsableMs: median(times) };
}
