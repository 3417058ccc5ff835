import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ForbiddenException } from '@nestjs/common';
import type Provider from 'oidc-provider';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RequestGuard } from '../http/request-guard.js';
import { OAuthServer } from './oauth-server.js';

let server: Server | undefined;

afterEach(() => {
  server?.close();
  server = undefined;
});

/** The middleware on a real HTTP server, in front of a "rest of the app" that answers 404. */
async function serve(options: { create?: () => Promise<Provider>; guard?: (req: IncomingMessage) => void; limiter?: RateLimiterMemory } = {}) {
  const seen: string[] = [];
  const provider = { callback: () => (req: IncomingMessage, res: ServerResponse) => void res.writeHead(200).end(`provider saw ${req.url}`) } as unknown as Provider;
  const oauth = new OAuthServer(
    options.create ?? (async () => provider),
    { check: options.guard ?? (() => undefined) } as unknown as RequestGuard,
    options.limiter ?? new RateLimiterMemory({ points: 100, duration: 60 }),
  );
  server = createServer((req, res) =>
    oauth.middleware(req, res, () => {
      seen.push(req.url ?? '');
      res.writeHead(404).end('app');
    }),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = async (path: string, method = 'GET') => {
    const response = await fetch(`${base}${path}`, { method });
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  return { request, seen, oauth };
}

describe(OAuthServer.name, () => {
  it.each(['/authorize', '/authorize/abc_DEF-123', '/token', '/register', '/revoke', '/jwks', '/.well-known/openid-configuration'])(
    'hands %s to oidc-provider',
    async (path) => {
      const { request, seen } = await serve();
      expect(await request(`${path}?x=1`)).toMatchObject({ status: 200, text: `provider saw ${path}?x=1` });
      expect(seen).toEqual([]);
    },
  );

  it.each(['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server/'])('serves RFC 8414 metadata at %s from the discovery document', async (path) => {
    const { request } = await serve();
    expect((await request(path)).text).toBe('provider saw /.well-known/openid-configuration');
  });

  it.each(['/', '/mcp', '/authorizex', '/authorize/a/b', '/authorize/has%20space', '/token/extra', '/interaction/abc', '/.well-known/oauth-protected-resource'])(
    'passes %s on to the app',
    async (path) => {
      const { request, seen } = await serve();
      expect((await request(path)).text).toBe('app');
      expect(seen).toEqual([path]);
    },
  );

  it('answers a refused Host with 403 before oidc-provider sees the request', async () => {
    const { request } = await serve({
      guard: () => {
        throw new ForbiddenException('Forbidden: Host header is not allowed');
      },
    });
    const answer = await request('/token', 'POST');
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text)).toEqual({ error: 'access_denied', error_description: 'Forbidden: Host header is not allowed' });
  });

  it('limits registrations per address with 429 and Retry-After; other endpoints are not counted', async () => {
    const { request } = await serve({ limiter: new RateLimiterMemory({ points: 2, duration: 3600 }) });
    expect((await request('/register', 'POST')).status).toBe(200);
    expect((await request('/token', 'POST')).status).toBe(200);
    expect((await request('/register', 'GET')).status).toBe(200);
    expect((await request('/register', 'POST')).status).toBe(200);
    const refused = await request('/register', 'POST');
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toMatchObject({ error: 'too_many_requests' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 503 when the registration limiter cannot count (Redis down)', async () => {
    const broken = new RateLimiterMemory({ points: 1, duration: 1 });
    broken.consume = () => Promise.reject(new Error('Connection is closed.'));
    const { request } = await serve({ limiter: broken });
    const answer = await request('/register', 'POST');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('loads oidc-provider once, on first use, and tries again after a failed start', async () => {
    let attempts = 0;
    const provider = { callback: () => (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200).end('ok') } as unknown as Provider;
    const { request, oauth } = await serve({
      create: async () => {
        attempts++;
        if (attempts === 1) throw new Error('boom');
        return provider;
      },
    });
    expect(attempts).toBe(0);
    const failed = await request('/jwks');
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.text)).toMatchObject({ error: 'server_error' });
    expect((await request('/jwks')).status).toBe(200);
    await oauth.provider();
    expect((await request('/token')).status).toBe(200);
    expect(attempts).toBe(2);
  });
});
