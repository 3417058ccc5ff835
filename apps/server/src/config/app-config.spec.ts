import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { configRefusal } from '../testing/config.js';
import { DEFAULT_HOSTS, DEFAULT_ORIGINS, loadConfig, SETTING_NAMES } from './app-config.js';

const repoFile = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');

const refusal = configRefusal;

describe(loadConfig.name, () => {
  it('has the documented defaults', () => {
    const sut = loadConfig({});
    expect(sut).toMatchObject({ port: 3000, host: '127.0.0.1', sessionTtlMs: 600_000, publicUrl: 'http://localhost:3000' });
    expect(sut.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(sut.allowedOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', ...DEFAULT_ORIGINS]);
    expect(sut.demo).toEqual({ enabled: true, defaultName: 'Lauren Bailey', users: {}, code: undefined });
    expect(sut.sse).toEqual({ maxStreams: 1000, maxStreamsPerClient: 20, idleTimeoutMs: 300_000, maxBufferedBytes: 1_048_576 });
  });

  it('reads an empty or blank variable as unset', () => {
    const sut = loadConfig({ PORT: '', DEMO_CODE: '', ALLOWED_ORIGINS: '  ', LOG_LEVEL: '', DEMO_USERS: '' });
    expect(sut.port).toBe(3000);
    expect(sut.publicUrl).toBe('http://localhost:3000');
    expect(sut.demo.code).toBeUndefined();
    expect(sut.logLevel).toBe('log');
  });

  it('says in plain words what each bad variable must be and what it got', () => {
    const message = refusal({ PORT: 'abc', SESSION_TTL_MS: '-5', LOG_LEVEL: 'loud', KEEP_DEFAULT_ORIGINS: 'maybe' });
    expect(message).toContain('PORT must be a whole number from 0 to 65535, got "abc"');
    expect(message).toContain('SESSION_TTL_MS must be a whole number of milliseconds from 1000 to 86400000, got "-5"');
    expect(message).toContain('LOG_LEVEL must be one of error, warn, log, debug, verbose, got "loud"');
    expect(message).toContain('KEEP_DEFAULT_ORIGINS must be true or false, got "maybe"');
    expect(message).not.toMatch(/invalid_type|too_small|expected/i);
  });

  it('never repeats a secret in its error', () => {
    const message = refusal({ DEMO_CODE: '12x' });
    expect(message).toContain('DEMO_CODE must be exactly six digits');
    expect(message).not.toContain('12x');
  });

  it('rejects DEMO_USERS that is not a JSON map of emails to names', () => {
    expect(refusal({ DEMO_USERS: 'nope' })).toContain('DEMO_USERS must be a JSON map of e-mail addresses to names');
    expect(refusal({ DEMO_USERS: '{"not-an-email":{"name":"X"}}' })).toContain('DEMO_USERS must be');
  });

  it('refuses demo mode in production unless forced', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/refused when NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_DEMO_IN_PRODUCTION: 'true' }).demo.enabled).toBe(true);
  });

  it('always allows PUBLIC_URL’s own host and origin', () => {
    const sut = loadConfig({ PUBLIC_URL: 'https://auth.example.com/', KEEP_DEFAULT_HOSTS: 'false', KEEP_DEFAULT_ORIGINS: 'false' });
    expect(sut.publicUrl).toBe('https://auth.example.com');
    expect(sut.mcpUrl).toBe('https://auth.example.com/mcp');
    expect(sut.allowedHosts).toEqual(['auth.example.com']);
    expect(sut.allowedOrigins).toEqual(['https://auth.example.com']);
  });

  it('adds listed hosts and origins to the defaults, never removing one', () => {
    const sut = loadConfig({ ALLOWED_ORIGINS: 'https://app.example.com', ALLOWED_HOSTS: 'auth.example.com' });
    expect(sut.allowedOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', ...DEFAULT_ORIGINS, 'https://app.example.com']);
    expect(sut.allowedHosts).toEqual([...DEFAULT_HOSTS, 'auth.example.com']);
  });

  it('drops the defaults only when asked to', () => {
    const sut = loadConfig({ ALLOWED_ORIGINS: 'https://app.example.com', KEEP_DEFAULT_ORIGINS: 'false', ALLOWED_HOSTS: 'a.example.com', KEEP_DEFAULT_HOSTS: 'false' });
    expect(sut.allowedOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'https://app.example.com']);
    expect(sut.allowedHosts).toEqual(['localhost', 'a.example.com']);
  });

  it('reads the real-mode settings, with their defaults', () => {
    const key = Buffer.alloc(32, 5).toString('base64');
    const config = loadConfig({
      DEMO_MODE: 'false',
      DATA_DIR: '/var/lib/target',
      DATABASE_URL: 'postgres://app@db:5432/target',
      SECRET_KEY: key,
      SMTP_URL: 'smtps://user:pw@smtp.example.com:465',
      MAIL_FROM: 'Target <no-reply@example.com>',
      CODE_TTL_MS: '300000',
    });
    expect(config.demo.enabled).toBe(false);
    expect(config.accounts).toEqual({
      dataDir: '/var/lib/target',
      databaseUrl: 'postgres://app@db:5432/target',
      secretKey: Buffer.alloc(32, 5),
      smtpUrl: 'smtps://user:pw@smtp.example.com:465',
      mailFrom: 'Target <no-reply@example.com>',
      codeTtlMs: 300_000,
    });
    expect(loadConfig({}).accounts).toEqual({
      dataDir: './data',
      databaseUrl: undefined,
      secretKey: undefined,
      smtpUrl: undefined,
      mailFrom: 'Target <no-reply@localhost>',
      codeTtlMs: 600_000,
    });
  });

  it('refuses bad real-mode settings without repeating the secret ones', () => {
    const message = refusal({
      SECRET_KEY: Buffer.alloc(16, 1).toString('base64'),
      SMTP_URL: 'http://user:smtp-pass@mail',
      DATABASE_URL: 'mysql://u:db-pass@h/x',
      CODE_TTL_MS: '5',
    });
    expect(message).toContain('SECRET_KEY must be at least 32 random bytes in base64');
    expect(message).toContain('SMTP_URL must be an smtp:// or smtps:// URL');
    expect(message).toContain('DATABASE_URL must be a postgres:// URL');
    expect(message).toContain('CODE_TTL_MS must be a whole number of milliseconds from 60000 to 3600000, got "5"');
    for (const secret of ['smtp-pass', 'db-pass', Buffer.alloc(16, 1).toString('base64')]) expect(message).not.toContain(secret);
  });

  it('documents every setting in docs/configuration.md and in .env.example', () => {
    const readme = repoFile('docs/configuration.md');
    const example = repoFile('.env.example');
    for (const name of SETTING_NAMES) {
      expect(readme).toContain(`| \`${name}\` |`);
      expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    }
  });
});
