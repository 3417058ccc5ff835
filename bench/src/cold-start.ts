/** Figure 6: process start to the first 200 from /healthz, for the real server (apps/server/dist/main.js). */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from '@target-auth/testing/ports';
import { median } from './stats.js';

const MAIN = join(dirname(createRequire(import.meta.url).resolve('@target-auth/server/app')), 'main.js');

async function once(): Promise<number> {
  const port = await freePort();
  const start = performance.now();
  const child = spawn(process.execPath, ['--no-allocation-site-pretenuring', '--max-semi-space-size=64', MAIN], { env: { PATH: process.env['PATH'] ?? '', PORT: String(port), LOG_LEVEL: 'error' }, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (response.status === 200) return performance.now() - start;
      } catch {
        // not yet listening
      }
      if (performance.now() - start > 15_000) throw new Error('server did not start');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    child.kill('SIGKILL');
  }
}

export async function measureColdStart(runs = 5): Promise<number> {
  await once(); // warm the file cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return median(times);
}
