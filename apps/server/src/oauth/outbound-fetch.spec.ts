/**
 * The outbound guard on its own: which addresses pass, which URLs are refused
 * before any connection, and that the connection goes to the checked address.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { guardedFetch, isPublicAddress, OutboundRefusedError } from './outbound-fetch.js';

describe(isPublicAddress.name, () => {
  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e'])('lets the public unicast address %s through', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback, elsewhere in 127/8', '127.255.0.7'],
    ['unspecified', '0.0.0.0'],
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.31.255.255'],
    ['private 192.168/16', '192.168.0.1'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['CGNAT', '100.64.0.1'],
    ['multicast', '224.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['reserved', '240.0.0.1'],
    ['benchmarking', '198.18.0.1'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 unique-local', 'fd00::1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped loopback, hex', '::ffff:7f00:1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['NAT64 of loopback', '64:ff9b::7f00:1'],
    ['6to4 of loopback', '2002:7f00:1::'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['documentation', '2001:db8::1'],
    ['not an address', 'localhost'],
  ])('refuses %s (%s)', (_kind, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe(guardedFetch.name, () => {
  it.each([
    'http://93.184.215.14/client.json',
    'https://user:secret@93.184.215.14/client.json',
    'https://127.0.0.1/client.json',
    'https://127.1/client.json',
    'https://0x7f000001/client.json',
    'https://2130706433/client.json',
    'https://0177.0.0.1/client.json',
    'https://[::1]/client.json',
    'https://[::ffff:127.0.0.1]/client.json',
    'https://[0:0:0:0:0:0:0:1]/client.json',
    'https://0.0.0.0/client.json',
    'https://169.254.169.254/latest/meta-data',
    'https://[fd00::1]/client.json',
  ])('refuses %s before any lookup or connection', async (url) => {
    const looked: string[] = [];
    const fetch = guardedFetch({ resolve: async (host) => (looked.push(host), ['93.184.215.14']) });
    await expect(fetch(url)).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(looked).toEqual([]);
  });

  it('refuses a name resolving to an internal address, or to any internal one among public ones, or to none', async () => {
    for (const answer of [['127.0.0.1'], ['10.0.0.7'], ['93.184.215.14', '192.168.1.1'], ['::1'], []]) {
      const fetch = guardedFetch({ resolve: async () => answer });
      await expect(fetch('https://client.example/client.json')).rejects.toMatchObject({ name: 'OutboundRefusedError', message: 'the client metadata URL is not allowed' });
    }
    const failing = guardedFetch({ resolve: async () => Promise.reject(new Error('ENOTFOUND')) });
    await expect(failing('https://nowhere.example/client.json')).rejects.toBeInstanceOf(OutboundRefusedError);
  });

  describe('with a server of its own (the test widens what is allowed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'target-auth-outbound-'));
    let port: number;
    let requests = 0;
    let ca: string;
    let close: () => void;

    beforeAll(async () => {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=metadata.test', '-addext', 'subjectAltName=DNS:metadata.test'], { stdio: 'ignore' });
      ca = readFileSync(cert, 'utf8');
      const server = createServer({ key: readFileSync(key), cert: ca }, (req, res) => {
        requests++;
        if (req.url === '/big') res.end('x'.repeat(70_000));
        else if (req.url === '/moved') res.writeHead(302, { location: 'https://metadata.test/client.json' }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"client_id":"ok"}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      close = () => server.close();
    });

    afterAll(() => {
      close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('connects to the address it checked, resolving the name once (no second lookup to rebind)', async () => {
      const lookups: string[] = [];
      const fetch = guardedFetch({ resolve: async (host) => (lookups.push(host), ['127.0.0.1']), allows: (address) => address === '127.0.0.1', ca });
      // metadata.test resolves nowhere else: the answer can only come through the checked address.
      const response = await fetch(`https://metadata.test:${port}/client.json`, { method: 'GET', headers: { accept: 'application/json' } });
      expect(await response.json()).toEqual({ client_id: 'ok' });
      expect(lookups).toEqual(['metadata.test']);
    });

    it('follows no redirect, and reads no more than the bound', async () => {
      const fetch = guardedFetch({ resolve: async () => ['127.0.0.1'], allows: () => true, ca });
      const before = requests;
      await expect(fetch(`https://metadata.test:${port}/moved`)).rejects.toThrow();
      expect(requests).toBe(before + 1);
      await expect(fetch(`https://metadata.test:${port}/big`)).rejects.toMatchObject({ name: 'OutboundRefusedError', message: 'the client metadata response is too large' });
    });
  });
});
