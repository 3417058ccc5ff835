/**
 * Builds the Nest application from a validated config; main.ts listens, and the
 * e2e tests and benchmarks call this to boot the real app on a free port.
 */
import { DEMO_IDP_PATH, DemoIdp } from './upstream/demo-idp.js';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppLogger } from './app-logger.js';
import { AppModule } from './app.module.js';
import { type AppConfig, loadConfig } from './config/app-config.js';
import { HttpExceptionFilter } from './http/http-exception.filter.js';
import { jsonLogging } from './logging/json-logging.js';
import { OriginPolicy } from './http/origin-policy.js';
import { McpFastEntry } from './mcp/mcp-fast-entry.js';
import type { OAuthOverrides } from './oauth/oauth.module.js';
import { OAuthServer } from './oauth/oauth-server.js';

export { loadConfig, type AppConfig, type OAuthOverrides };
/** For tools that drive the app in process (benchmarks). */
export { SessionService } from './session/session.service.js';

export async function createApp(config: AppConfig, oauth: OAuthOverrides = {}): Promise<INestApplication> {
  const logging = config.logFormat === 'json' ? jsonLogging(config) : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logging, oauth), {
    // A failure while booting (a database that does not answer, a missing key) is thrown to the caller, who
    // says it in one line (main.ts), instead of Nest's logged stack and exit.
    abortOnError: false,
    bodyParser: false,
    forceCloseConnections: true,
    logger: logging ? logging.bootLogger : new AppLogger(config.logLevel),
  });
  logging?.install(app);
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Answers are never cached by validators (they change per call); hashing each for an ETag costs time.
  app.set('etag', false);
  // The authorization server answers its own routes (with its own CORS) before Nest's.
  app.use(app.get(OAuthServer).middleware);
  // Demo mode's Demo ID (upstream/demo-idp.ts); outside demo mode it passes every request on.
  app.use(DEMO_IDP_PATH, app.get(DemoIdp).middleware);
  const origins = app.get(OriginPolicy);
  app.enableCors({
    origin: (origin, done) => done(null, origin !== undefined && origins.allows(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['Content-Type', 'Accept', 'Authorization', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Last-Event-ID'],
    exposedHeaders: ['Mcp-Session-Id', 'WWW-Authenticate'],
    maxAge: 600,
  });
  app.useGlobalFilters(new HttpExceptionFilter());
  app.get(McpFastEntry).attach(app.getHttpServer(), logging?.track);
  return app;
}
