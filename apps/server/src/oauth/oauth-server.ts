/**
 * Puts oidc-provider's endpoints on the app's HTTP server, in front of the Nest
 * routes: the authorization endpoint (and its resume path), token,
 * registration, revocation, JWKS and the metadata, also under RFC 8414's
 * `/.well-known/oauth-authorization-server`. The same Host check as every
 * other route applies; dynamic registration is rate-limited per address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpException, Logger } from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RequestGuard } from '../http/request-guard.js';
import { writeJson } from '../http/write-json.js';
import { lazily } from '../common/lazy.js';
import { OAUTH_ROUTES } from './oauth-provider.js';

const OPENID_CONFIGURATION = '/.well-known/openid-configuration';
const AS_METADATA = '/.well-known/oauth-authorization-server';

const EXACT = new Set<string>([OAUTH_ROUTES.authorization, OAUTH_ROUTES.token, OAUTH_ROUTES.registration, OAUTH_ROUTES.revocation, OAUTH_ROUTES.jwks, OPENID_CONFIGURATION]);
/** The authorization endpoint's resume path after our sign-in and consent screens. */
const RESUME = /^\/authorize\/[A-Za-z0-9_-]{1,64}$/;


/**
 * oidc-provider (with Koa and jose) loads on first use, not at boot: a
 * server that never links an account starts without it. main.ts warms it
 * up once the server listens.
 */
export class OAuthServer {
  private readonly logger = new Logger('OAuth');
  private readonly load = lazily(async () => {
    const provider = await this.create();
    return { provider, callback: provider.callback() };
  });

  constructor(
    private readonly create: () => Promise<Provider>,
    private readonly guard: RequestGuard,
    private readonly registrations: RateLimiterAbstract,
  ) {}

  /** The authorization server, created once. */
  async provider(): Promise<Provider> {
    return (await this.load()).provider;
  }

  /** Express-style middleware: serves the OAuth endpoints, passes everything else on. */
  readonly middleware = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    const aliased = path === AS_METADATA || path === `${AS_METADATA}/`;
    if (!aliased && !EXACT.has(path) && !RESUME.test(path)) return next();
    this.serve(req, res, path, aliased).catch((error: unknown) => {
      // oidc-provider answers its own errors; this is anything else (it could not load, say).
      this.logger.error(`OAuth request failed: ${error instanceof Error ? error.name : 'unknown error'}`);
      if (!res.headersSent) writeJson(res, 500, { error: 'server_error', error_description: 'Account linking failed on the server. Try again later.' });
      else res.end();
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse, path: string, aliased: boolean): Promise<void> {
    try {
      this.guard.check(req);
    } catch (error) {
      const status = error instanceof HttpException ? error.getStatus() : 403;
      writeJson(res, status, { error: 'access_denied', error_description: error instanceof Error ? error.message : 'Forbidden' });
      return;
    }
    if (path === OAUTH_ROUTES.registration && req.method === 'POST') {
      const address = req.socket.remoteAddress ?? 'unknown';
      const refused = await this.registrations.consume(address).then(
        () => undefined,
        (outcome: unknown) => outcome,
      );
      if (refused instanceof Error) {
        writeJson(res, 503, { error: 'temporarily_unavailable', error_description: 'Registration is unavailable right now. Try again in a moment.' });
        return;
      }
      if (refused !== undefined) {
        const retryAfter = typeof refused === 'object' && refused !== null && 'msBeforeNext' in refused ? Math.ceil(Number(refused.msBeforeNext) / 1000) : 60;
        writeJson(
          res,
          429,
          { error: 'too_many_requests', error_description: `Too many client registrations from this address. Try again in ${retryAfter} seconds.` },
          { 'retry-after': String(retryAfter), 'cache-control': 'no-store' },
        );
        return;
      }
    }
    // RFC 8414's location serves the same document as OpenID discovery.
    if (aliased) req.url = OPENID_CONFIGURATION;
    await (await this.load()).callback(req, res);
  }
}
