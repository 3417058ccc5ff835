import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

describe(loadConfig.name, () => {
  it('has the documented defaults', () => {
    const sut = loadConfig({});
    expect(sut).toMatchObject({ port: 3000, host: '127.0.0.1', sessionTtlMs: 600_000, publicUrl: 'http://localhost:3000' });
    expect(sut.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', 'localhost']);
    expect(sut.demo).toEqual({ enabled: true, defaultName: 'Lauren Bailey', users: {}, code: undefined });
    expect(sut.allowedOrigins).not.toContain('*');
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'abc', SESSION_TTL_MS: '-5', DEMO_CODE: '12' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', SESSION_TTL_MS: '-5', DEMO_CODE: '12' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/SESSION_TTL_MS/);
      expect(message).toMatch(/DEMO_CODE: must be exactly six digits/);
    }
  });

  it('rejects DEMO_USERS that is not a JSON map of emails to names', () => {
    expect(() => loadConfig({ DEMO_USERS: 'nope' })).toThrow(/DEMO_USERS: must be JSON/);
    expect(() => loadConfig({ DEMO_USERS: '{"not-an-email":{"name":"X"}}' })).toThrow(/DEMO_USERS/);
  });

  it('refuses demo mode in production unless forced', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/refused when NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_DEMO_IN_PRODUCTION: 'true' }).demo.enabled).toBe(true);
  });

  it('derives the allowed host and origin from PUBLIC_URL', () => {
    const sut = loadConfig({ PUBLIC_URL: 'https://auth.example.com/' });
    expect(sut.publicUrl).toBe('https://auth.example.com');
    expect(sut.allowedHosts).toContain('auth.example.com');
    expect(sut.allowedOrigins).toContain('https://auth.example.com');
  });
});
