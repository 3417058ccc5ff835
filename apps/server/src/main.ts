/**
 * Entry point: validates the environment, boots the app (app.ts) and listens.
 * Ctrl-C (SIGINT) or SIGTERM closes streams and the listener cleanly.
 * `pnpm start` runs it as `node --no-allocation-site-pretenuring --max-semi-space-size=64 dist/main.js`:
 * with many live sessions, V8's pretenuring moved per-request garbage into the
 * old generation and cost ~15% of throughput (docs/benchmarks.md).
 */
import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/app-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const logger = new Logger('Main');
  const url = await app.getUrl();
  logger.log(`Listening on ${url.replace('[::1]', 'localhost')} — MCP endpoint ${url}/mcp, public URL ${config.publicUrl}`);
  const codeRule = config.demo.code === undefined ? 'any six digits' : 'only DEMO_CODE';
  logger.warn(`DEMO MODE: any email and password sign in (as ${config.demo.defaultName}), ${codeRule} as the code`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: closing streams and the listener`);
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
