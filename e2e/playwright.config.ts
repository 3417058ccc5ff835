/**
 * End-to-end runs in Chromium, launched as @target-auth/testing/chromium says
 * (CHROMIUM_PATH, Debian's, or Playwright's own browser: nothing is downloaded).
 */
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '@target-auth/testing/chromium';

export default defineConfig({
  testDir: 'tests',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 480, height: 720 },
    launchOptions: chromiumLaunchOptions(),
  },
});
