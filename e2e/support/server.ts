/**
 * Runs the real, built server (apps/server/dist/main.js) as its own process on a
 * free loopback port, with the settings a test needs, and stops it afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@target-auth/testing/ports';

const MAIN = fileURLToPath(new URL('../../apps/server/dist/main.js', import.meta.url));

export interface RunningServer {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** `publicHost`: the host name in PUBLIC_URL (`localhost` for passkeys: WebAuthn takes no IP address as relying party). */
export async function startServer(env: Record<string, string> = {}, options: { publicHost?: string } = {}): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://${options.publicHost ?? '127.0.0.1'}:${port}`;
  // The same node flag as `pnpm start` (root package.json).
  const child: ChildProcess = spawn(process.execPath, ['--no-allocation-site-pretenuring', '--max-semi-space-size=64', MAIN], {
    // PUBLIC_URL is the address tests use (the OAuth issuer must match it).
    env: { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Server exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Server did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}
