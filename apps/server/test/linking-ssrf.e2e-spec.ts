/**
 * The client-metadata-document fetch's SSRF guard, on the built server in its
 * own Node process (Jest's module sandbox keeps oidc-provider from installing
 * its guarded dispatcher, so this cannot run in-process). A valid document is
 * served over https on loopback with a certificate the server trusts
 * (NODE_EXTRA_CA_CERTS): the test itself can fetch it, so the server's
 * refusal can only come from the guard.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Instance, startInstance } from './instances.js';
import { authorizationUrl, Browser, pkce, REDIRECT_URI } from './oauth.js';

describe('client ID metadata documents on private addresses (built server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'target-auth-cimd-'));
  let documents: Server;
  let documentUrl: string;
  let instance: Instance;
  const cert = join(dir, 'cert.pem');

  beforeAll(async () => {
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    documents = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ client_id: documentUrl, client_name: 'Loopback Client', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
      );
    });
    await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
    documentUrl = `https://127.0.0.1:${(documents.address() as AddressInfo).port}/client.json`;
    instance = await startInstance({ NODE_EXTRA_CA_CERTS: cert });
  });

  afterAll(async () => {
    await instance?.stop();
    documents?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a document on a loopback address that is otherwise valid and reachable', async () => {
    // Reachable and valid: this process (which trusts the certificate through the same setting) reads it.
    const script = `fetch(${JSON.stringify(documentUrl)}).then((r) => r.json()).then((d) => console.log(d.client_id))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { PATH: process.env['PATH'] ?? '', NODE_EXTRA_CA_CERTS: cert } });
    expect(stdout.trim()).toBe(documentUrl);
    const browser = new Browser(instance.url);
    const issuer = instance.url.replace('127.0.0.1', 'localhost');
    const response = await browser.request(authorizationUrl(instance.url, { clientId: documentUrl, resource: `${issuer}/mcp`, challenge: pkce().challenge, method: 'S256' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('This sign-in link does not work');
  });
});
