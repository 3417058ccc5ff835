/** The widget's standalone dev harness (apps/widget/dev), served by Vite's dev server on a free localhost port. */
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { freePort } from '@target-auth/testing/ports';

export const WIDGET = fileURLToPath(new URL('../../apps/widget/', import.meta.url));

export interface DevHarness {
  /** `http://localhost:<port>`; the harness is at `/dev/`. */
  origin: string;
  close(): Promise<void>;
}

export async function startDevHarness(): Promise<DevHarness> {
  const port = await freePort();
  const vite = await createServer({
    root: WIDGET,
    configFile: `${WIDGET}vite.dev.config.ts`,
    logLevel: 'error',
    server: { port, strictPort: true, host: 'localhost', hmr: false },
  });
  await vite.listen();
  return { origin: `http://localhost:${port}`, close: () => vite.close() };
}
