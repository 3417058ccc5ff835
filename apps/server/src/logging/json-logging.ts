/**
 * LOG_FORMAT=json: one JSON object per line through pino (nestjs-pino), each
 * request logged once with an id (taken from a well-formed X-Request-Id, else
 * made) that the app's own lines inside the request carry too. Requests are
 * logged by method, path (never the query) and status: no header, body or
 * query string, so no password, code or session id reaches the log. What
 * libraries print on the console (oidc-provider's notices and warnings) and
 * Node's process warnings become JSON lines too: every line is JSON.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, type INestApplication, type LoggerService, RequestMethod } from '@nestjs/common';
import { Logger, LoggerModule, PinoLogger } from 'nestjs-pino';
import { type LogFn, pino } from 'pino';
import { type HttpLogger, type Options, pinoHttp } from 'pino-http';
import { BOOT_CONTEXTS, BOOT_FAILURE_CONTEXT } from '../app-logger.js';
import type { AppConfig } from '../config/app-config.js';
import { routeConsole } from './console-lines.js';

const PINO_LEVEL: Record<AppConfig['logLevel'], string> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface JsonLogging {
  module: DynamicModule;
  /** Logs one request and binds its logger for the app's lines; for the MCP fast entry, which runs before Nest. */
  track: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /** Nest's logger while the app boots: JSON already, with text logging's rules (boot chatter at debug, a boot failure left to the caller). */
  bootLogger: LoggerService;
  /** Makes pino the app's logger (Nest's own lines included). */
  install(app: INestApplication): void;
}

export function jsonLogging(config: AppConfig): JsonLogging {
  const logger = pino({ level: PINO_LEVEL[config.logLevel] });
  const options: Options = {
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  };
  const http: HttpLogger = pinoHttp(options);
  // nestjs-pino's own context for the app's lines: inside a fast-entry request, they carry its request too.
  const context = new PinoLogger({ pinoHttp: options });
  return {
    module: LoggerModule.forRoot({ pinoHttp: options, forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }] }),
    track: (req, res, next) => {
      http(req, res);
      context.runInContext(next, { bindings: (req as IncomingMessage & { log: typeof logger }).log.bindings() });
    },
    bootLogger: bootLogger(logger),
    install(app) {
      app.useLogger(app.get(Logger));
      routeConsole(logger);
    },
  };
}

function bootLogger(logger: Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', LogFn>): LoggerService {
  const line = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal') => (message: unknown, ...rest: unknown[]) => {
    const context = rest.at(-1);
    if (level === 'error' && context === BOOT_FAILURE_CONTEXT) return;
    const quiet = level === 'info' && typeof context === 'string' && BOOT_CONTEXTS.has(context);
    logger[quiet ? 'debug' : level]({ context }, String(message));
  };
  return { log: line('info'), error: line('error'), warn: line('warn'), debug: line('debug'), verbose: line('trace'), fatal: line('fatal') };
}

