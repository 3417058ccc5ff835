/**
 * Figure 8: how long the proof of work a stranger's failures make the widget
 * do takes in headless Chromium, with the widget's own solver (altcha-lib's
 * Web Crypto one), from the first challenge (3 failures) to the day's
 * ceiling (100). The target: the hardest at most 15 s.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { challengeWork, ProofOfWork } from '@target-auth/server/proof-of-work';
import { chromiumLaunchOptions } from '@target-auth/testing/chromium';
import { chromium } from 'playwright-core';
import { median } from './stats.js';

export interface ProofOfWorkFigure {
  failures: number;
  work: number;
  medianMs: number;
}

/** Where the widget's altcha-lib lives (its ESM build is served to the page as is). */
function altchaRoot(): string {
  const widget = createRequire(import.meta.url).resolve('@target-auth/widget/html');
  // `resolve` answers the CommonJS build; the page imports the ESM one beside it.
  return dirname(createRequire(widget).resolve('altcha-lib')).replace(`${sep}cjs${sep}`, `${sep}esm${sep}`);
}

export async function measureProofOfWork(levels = [3, 25, 50, 75, 100], runs = 3): Promise<ProofOfWorkFigure[] | null> {
  let browser;
  try {
    browser = await chromium.launch(chromiumLaunchOptions());
  } catch (error) {
    console.error(`proof of work: no Chromium (${(error as Error).message.split('\n')[0]}); skipping`);
    return null;
  }
  const root = altchaRoot();
  const page = await browser.newPage();
  // https, as hosts serve widgets: Web Crypto needs a secure context.
  await page.route('https://pow.test/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ body: '<!doctype html><title>pow</title>', contentType: 'text/html' });
    try {
      return route.fulfill({ body: readFileSync(join(root, path)), contentType: 'text/javascript' });
    } catch {
      return route.fulfill({ status: 404 });
    }
  });
  await page.goto('https://pow.test/');
  const issuer = new ProofOfWork('bench-secret', () => {
    throw new Error('not verifying here');
  });
  const figures: ProofOfWorkFigure[] = [];
  try {
    for (const failures of levels) {
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const challenge = await issuer.create(failures);
        times.push(
          await page.evaluate(async (given) => {
            const modules = ['/index.js', '/algorithms/web/sha.js'];
            const [{ solveChallenge }, { deriveKey }] = (await Promise.all(modules.map((path) => import(path)))) as [
              { solveChallenge: (options: object) => Promise<object | null> },
              { deriveKey: unknown },
            ];
            const started = performance.now();
            const solution = await solveChallenge({ challenge: given, deriveKey, timeout: 60_000 });
            if (!solution) throw new Error('not solved');
            return performance.now() - started;
          }, challenge as unknown as object),
        );
      }
      figures.push({ failures, work: challengeWork(failures), medianMs: median(times) });
      console.error(`bench: proof of work after ${failures} failures: ${Math.round(median(times))} ms`);
    }
  } finally {
    await browser.close();
  }
  return figures;
}
