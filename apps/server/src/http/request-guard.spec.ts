import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { testConfig } from '../testing/fakes.js';
import { OriginPolicy } from './origin-policy.js';
import { RequestGuard } from './request-guard.js';

const config = testConfig({ ALLOWED_HOSTS: 'Example.test,localhost', ALLOWED_ORIGINS: 'https://chatgpt.com' });
const guard = new RequestGuard(config, new OriginPolicy(config));
const check = (headers: Record<string, string>) => () => guard.check({ headers } as IncomingMessage);

describe(RequestGuard.name, () => {
  it('lets through an allowed host, any port and letter case, with an allowed origin or none', () => {
    expect(check({ host: 'example.TEST:8080' })).not.toThrow();
    expect(check({ host: 'localhost', origin: 'https://chatgpt.com' })).not.toThrow();
  });

  it('refuses a missing, unknown or malformed host, and a foreign origin, with 403 naming which', () => {
    for (const host of ['', 'evil.test', 'exa mple.test', '[::1']) {
      expect(check({ host })).toThrow('Forbidden: Host header is not allowed');
    }
    expect(check({})).toThrow('Forbidden: Host header is not allowed');
    expect(check({ host: 'localhost', origin: 'https://evil.test' })).toThrow('Forbidden: Origin is not allowed');
  });
});
