/**
 * Account linking on Redis (REDIS_URL): two instances behind one public
 * address share clients, grants, tokens and refresh-token families (a retry on
 * the other instance within the grace gets the same successor), the state
 * outlives a restart, and a Redis outage is 503 at /mcp and /token.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { Redis } from 'ioredis';
import { ownRedis, redisAvailable, TEST_REDIS_URL } from '../src/testing/redis.js';
import { itWhen } from '../src/testing/services.js';
import { authorizationUrl, Browser, callTool, type ClientRegistration, linkedTokens, type LinkingServer, mcp, pkce, register, startLinkingServer, token } from './oauth.js';

const haveRedis = await redisAvailable();
const test = itWhen(haveRedis);

describe('account linking on Redis, two instances', () => {
  const shared = { REDIS_URL: TEST_REDIS_URL, SECRET_KEY: randomBytes(32).toString('base64') };
  let a: LinkingServer;
  let b: LinkingServer;
  const registered: ClientRegistration[] = [];

  beforeAll(async () => {
    if (!haveRedis && process.env['CI'] !== 'true') return;
    a = await startLinkingServer(shared, { refreshReuseGraceSeconds: 0 });
    b = await startLinkingServer({ ...shared, PUBLIC_URL: a.baseUrl }, { refreshReuseGraceSeconds: 0 });
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    // Registered clients have no lifetime: remove this run's from the shared Redis.
    if (registered.length === 0) return;
    const admin = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 0 });
    await admin.del(...registered.map((client) => `target-auth:oauth:Client:${client.client_id}`)).finally(() => admin.disconnect());
  });

  const registerOn = async (server: LinkingServer, metadata: Record<string, unknown> = {}) => {
    const client = await register(server.baseUrl, { client_name: `redis ${randomBytes(4).toString('hex')}`, ...metadata });
    registered.push(client);
    return client;
  };

  test('a token issued by one instance works on the other; a client registered on one is known to both', async () => {
    const client = await registerOn(a);
    const tokens = await linkedTokens(a, client);
    expect((await mcp(b.baseUrl, callTool('get-target-account'), tokens.access_token)).json).toMatchObject({ result: { structuredContent: { email: 'ada@example.com' } } });
    const atB = await new Browser(b.baseUrl).request(authorizationUrl(b.baseUrl, { clientId: client.client_id, resource: b.resource, challenge: pkce().challenge, method: 'S256' }));
    expect(atB.status).toBe(303);
    expect(atB.headers.get('location')).toMatch(/^\/interaction\//);
  });

  test('a refresh-token family rotates across instances, and reuse on either revokes it on both', async () => {
    const client = await registerOn(a);
    const first = await linkedTokens(a, client);
    const params = (refreshToken: string) => ({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.client_id, resource: a.resource });
    const rotated = await token(b.baseUrl, params(first.refresh_token!));
    expect(rotated.status).toBe(200);
    expect((await token(a.baseUrl, params(first.refresh_token!))).body['error']).toBe('invalid_grant');
    expect((await token(b.baseUrl, params(rotated.body['refresh_token'] as string))).body['error']).toBe('invalid_grant');
    expect((await mcp(a.baseUrl, callTool('get-target-account'), rotated.body['access_token'] as string)).status).toBe(401);
  });

  test('a rotated refresh token retried on the other instance within the grace gets the same successor, also in parallel', async () => {
    const graceful = { ...shared, SECRET_KEY: randomBytes(32).toString('base64') };
    const one = await startLinkingServer(graceful);
    const two = await startLinkingServer({ ...graceful, PUBLIC_URL: one.baseUrl });
    try {
      const client = await registerOn(one);
      const params = (refreshToken: string) => ({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.client_id, resource: one.resource });
      const first = await linkedTokens(one, client);
      const rotated = await token(one.baseUrl, params(first.refresh_token!));
      const retried = await token(two.baseUrl, params(first.refresh_token!));
      expect(retried.body['refresh_token']).toBe(rotated.body['refresh_token']);
      const second = await linkedTokens(one, client);
      const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => token((i % 2 ? one : two).baseUrl, params(second.refresh_token!))));
      expect(racing.every((answer) => answer.status === 200)).toBe(true);
      expect(new Set(racing.map((answer) => answer.body['refresh_token'])).size).toBe(1);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  test('linked accounts survive a restart', async () => {
    const client = await registerOn(a);
    const tokens = await linkedTokens(a, client);
    await b.close();
    b = await startLinkingServer({ ...shared, PUBLIC_URL: a.baseUrl }, { refreshReuseGraceSeconds: 0 });
    expect((await mcp(b.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);
    expect((await token(b.baseUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id, resource: a.resource })).status).toBe(200);
  });
});

describe('account linking while Redis is down', () => {
  test('a request with a token gets 503 (try again), never 401 (which would make the client drop a good token)', async () => {
    const redis = await ownRedis();
    const server = await startLinkingServer({ REDIS_URL: redis.url, SECRET_KEY: randomBytes(32).toString('base64') });
    try {
      const tokens = await linkedTokens(server, await register(server.baseUrl));
      await redis.kill();
      const answer = await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token);
      expect(answer.status).toBe(503);
      expect(answer.wwwAuthenticate).toBeNull();
      await redis.start();
      for (let waited = 0; (await fetch(`${server.baseUrl}/readyz`)).status !== 200 && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await mcp(server.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);
    } finally {
      await server.close();
      await redis.remove();
    }
  });

  test('/token answers 503 temporarily_unavailable with Retry-After, not 500', async () => {
    const redis = await ownRedis();
    const server = await startLinkingServer({ REDIS_URL: redis.url, SECRET_KEY: randomBytes(32).toString('base64') });
    try {
      const client = await register(server.baseUrl);
      const tokens = await linkedTokens(server, client);
      await redis.kill();
      const refreshed = await token(server.baseUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id, resource: server.resource });
      expect(refreshed.status).toBe(503);
      expect(refreshed.body).toEqual({ error: 'temporarily_unavailable', error_description: 'Account linking is temporarily unavailable. Try again in a moment.' });
      expect(refreshed.headers.get('retry-after')).toBe('5');
    } finally {
      await server.close();
      await redis.remove();
    }
  });
});
