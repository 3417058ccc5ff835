import { describe, expect, it } from '@jest/globals';
import { testConfig } from '../testing/fakes.js';
import { OriginPolicy } from './origin-policy.js';

describe(OriginPolicy.name, () => {
  const sut = new OriginPolicy(testConfig({ ALLOWED_ORIGINS: 'https://chatgpt.com, https://*.oaiusercontent.com' }));

  it('allows exact origins and sandbox subdomains', () => {
    expect(sut.allows('https://chatgpt.com')).toBe(true);
    expect(sut.allows('https://abc123.web-sandbox.oaiusercontent.com')).toBe(true);
  });

  it('refuses look-alikes, other schemes and junk', () => {
    expect(sut.allows('https://evil.example.com')).toBe(false);
    expect(sut.allows('https://oaiusercontent.com.evil.com')).toBe(false);
    expect(sut.allows('http://x.oaiusercontent.com')).toBe(false);
    expect(sut.allows('https://chatgpt.com.evil.com')).toBe(false);
    expect(sut.allows('null')).toBe(false);
    expect(sut.allows('https://x.oaiusercontent.com/path')).toBe(false);
    expect(sut.allows('https://evil-oaiusercontent.com')).toBe(false);
    expect(sut.allows('https://oaiusercontent.com')).toBe(false);
    expect(sut.allows('https://x.oaiusercontent.com.')).toBe(false);
  });

  it('takes http patterns for local tools, and never a malformed pattern as a wildcard', () => {
    const local = new OriginPolicy(
      testConfig({ ALLOWED_ORIGINS: 'http://*.local.test, https://*.trailing.test/path, x-https://*.prefixed.test, HTTPS://Exact.Example/' }),
    );
    expect(local.allows('http://app.local.test')).toBe(true);
    expect(local.allows('https://app.local.test')).toBe(false);
    expect(local.allows('https://a.trailing.test')).toBe(false);
    expect(local.allows('https://a.prefixed.test')).toBe(false);
    expect(local.allows('https://exact.example')).toBe(true);
  });
});

