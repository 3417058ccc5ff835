import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { HostedPage } from './hosted-page.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));
const sha = (script: string) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`;

describe(HostedPage.name, () => {
  const made: HostedPage[] = [];
  afterEach(() => made.splice(0).forEach((page) => page.onModuleDestroy()));

  function setup(html: string) {
    const path = join(mkdtempSync(join(tmpdir(), 'hosted-')), 'hosted.html');
    writeFileSync(path, html);
    const page = new HostedPage(path);
    made.push(page);
    return { page, path };
  }

  it('allows exactly its inline scripts, by hash, and nothing from elsewhere', () => {
    const { page } = setup('<html><script type="module">run(1)</script><script>run(2)</script></html>');
    const policy = page.headers['content-security-policy']!.split('; ');
    expect(policy).toContain(`script-src ${sha('run(1)')} ${sha('run(2)')}`);
    expect(policy).toEqual(expect.arrayContaining(["default-src 'none'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]));
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
  });

  it('serves a rebuilt page at once, with its new script hashes', async () => {
    const { page, path } = setup('<script>first()</script>');
    writeFileSync(path, '<script>second()</script>');
    await settle();
    expect(page.html).toBe('<script>second()</script>');
    expect(page.headers['content-security-policy']).toContain(`script-src ${sha('second()')};`);
    // A build in progress (an empty file) leaves the last good page served.
    writeFileSync(path, '');
    await settle();
    expect(page.html).toBe('<script>second()</script>');
  });

  it('refuses to start without a built page', () => {
    expect(() => new HostedPage(join(tmpdir(), 'no-such-hosted.html'))).toThrow('Hosted sign-in page not found at');
  });
});
