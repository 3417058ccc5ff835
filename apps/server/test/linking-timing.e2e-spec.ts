/**
 * Account linking's time limits, which need real waiting (kept apart from
 * linking.e2e-spec.ts, which the linking mutation run repeats per mutant):
 * an access token past its lifetime, and a client metadata document that
 * takes longer than the fetch allows.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Configuration } from 'oidc-provider';
import { authorizationUrl, Browser, callTool, linkedTokens, type LinkingServer, mcp, pkce, REDIRECT_URI, register, startLinkingServer } from './oauth.js';

describe('time limits', () => {
  it('an expired access token gets 401', async () => {
    const short = await startLinkingServer({ ACCESS_TOKEN_TTL_S: '1' });
    try {
      const tokens = await linkedTokens(short, await register(short.baseUrl));
      expect((await mcp(short.baseUrl, callTool('get-target-account'), tokens.access_token)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const expired = await mcp(short.baseUrl, callTool('get-target-account'), tokens.access_token);
      expect(expired.status).toBe(401);
      expect(expired.wwwAuthenticate).toContain('error="invalid_token"');
    } finally {
      await short.close();
    }
  });

  describe('a client metadata document that answers slowly', () => {
    const SLOW = 'https://client.example/oauth/slow.json';
    /** How long each fetch waited before oidc-provider gave up on it. */
    const waits: number[] = [];
    let server: LinkingServer;
    /** Answers after 5 s unless the fetch's own timeout signal aborts it first. */
    const slowFetch: Configuration['fetch'] = async (_url, options) => {
      const started = Date.now();
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 5000);
        options?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          waits.push(Date.now() - started);
          reject(new Error('aborted'));
        });
      });
      return new Response(JSON.stringify({ client_id: SLOW, redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }), { headers: { 'content-type': 'application/json' } });
    };

    beforeAll(async () => {
      server = await startLinkingServer({}, { cimdFetch: slowFetch });
    });

    afterAll(async () => {
      await server.close();
    });

    it('is given up within 3 s per fetch, and the request refused', async () => {
      const response = await new Browser(server.baseUrl).request(authorizationUrl(server.baseUrl, { clientId: SLOW, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
      expect(response.status).toBe(400);
      expect(waits.length).toBeGreaterThan(0);
      for (const waited of waits) expect(waited).toBeLessThan(3000);
    });
  });
});
