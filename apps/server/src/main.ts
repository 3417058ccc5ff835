/**
 * Entry point: reads `.env` when present (Node's own parser; set variables win),
 * validates the environment, boots the app (app.ts), listens and says what to
 * do next. Ctrl-C (SIGINT) or SIGTERM stops accepting connections, closes
 * streams, lets requests in flight finish (bounded), then exits.
 * `pnpm start` runs it as `node --no-allocation-site-pretenuring --max-semi-space-size=64 dist/main.js`:
 * with many live sessions, V8's pretenuring moved per-request garbage into the
 * old generation, and a larger young generation promotes less (docs/benchmarks.md).
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { type AddressInfo, Server as NetServer } from 'node:net';
import { type INestApplication, Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { databaseProblem } from './accounts/store/database.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { SseStreamsService } from './mcp/sse-streams.service.js';
import { nextSteps } from './next-steps.js';
import { OAuthServer } from './oauth/oauth-server.js';

/** Says why the server cannot start, in one line (a JSON one with LOG_FORMAT=json), and exits 1. */
function fail(line: string, json = false): never {
  console.error(json ? JSON.stringify({ level: 60, time: Date.now(), context: 'Main', msg: line }) : line);
  process.exit(1);
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = new Logger('Main');
  const app = await createApp(config).catch((error: unknown) => fail(startupFailure(error), config.logFormat === 'json'));
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    void drain(app, signal, logger).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  // Listening here rather than through app.listen(): a port in use is then one line of ours, not Nest's stack.
  await app.init();
  // Account linking loads on first use; loaded now, before listening, so that "Listening" means the server
  // answers at once (a request arriving during the load would wait for it).
  await app
    .get(OAuthServer)
    .provider()
    .catch((error: unknown) => logger.error(`Account linking could not start: ${error instanceof Error ? error.message : String(error)}`));
  const server = app.getHttpServer() as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const json = config.logFormat === 'json';
    if (code === 'EADDRINUSE') fail(`Port ${config.port} is in use. Set PORT to another port.`, json);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') fail(`Cannot listen on ${config.host}:${config.port} (${code}). Set HOST and PORT.`, json);
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  logger.log(`Listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}; public URL ${config.publicUrl}`);
  logger.log(`Allowed hosts: ${config.allowedHosts.join(', ')}`);
  logger.log(`Allowed origins: ${config.allowedOrigins.join(', ')}`);
  if (config.demo.enabled) {
    const codeRule = config.demo.code === undefined ? 'any six digits' : 'only DEMO_CODE';
    logger.warn(`DEMO MODE: any email and password sign in (as ${config.demo.defaultName}), ${codeRule} as the code`);
  }
  logger.log(nextSteps(config, port));
}

/** How long requests in flight may take to finish after SIGTERM before they are cut. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often idle connections are closed during the stop (the first time after this long). */
const IDLE_CHECK_MS = 50;

/**
 * Graceful stop: no new connections, streams closed, requests in flight
 * finished (up to SHUTDOWN_GRACE_MS), then the app closed (Redis, database).
 */
async function drain(app: INestApplication, signal: string, logger: Logger): Promise<void> {
  logger.log(`${signal} received: finishing requests in flight, then closing`);
  const server = app.getHttpServer() as Server;
  // No new connections. net.Server's close, not http.Server's: the latter also drops at once every
  // connection without a parsed request, including one whose request has arrived but not been read yet.
  const drained = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  await app.get(SseStreamsService).closeAll();
  // Then, once what had arrived is read, keep-alive connections between requests are closed as they go idle.
  const idle = setInterval(() => server.closeIdleConnections(), IDLE_CHECK_MS);
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), SHUTDOWN_GRACE_MS)));
  const timedOut = await Promise.race([drained.then(() => false), cut]);
  clearInterval(idle);
  clearTimeout(timer);
  if (timedOut) logger.warn(`Requests still running after ${SHUTDOWN_GRACE_MS / 1000} s: closing them`);
  await app.close();
}

/** One line for what stops the app from starting (database, data directory, key); anything else keeps its stack. */
function startupFailure(error: unknown): string {
  if (!(error instanceof Error)) return `Could not start: ${String(error)}`;
  if (error.name === 'DataDirInUseError' || error.name === 'SecretKeyError') return error.message;
  const problem = databaseProblem(error);
  if (problem) return problem;
  throw error;
}

void main();
