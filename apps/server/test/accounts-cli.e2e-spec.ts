/**
 * `pnpm accounts` (the built CLI) against the embedded database and against
 * PostgreSQL: every command, its clear errors and exit codes, and no secret
 * printed (the TOTP enrolment the operator asked for aside).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { embeddedTestDatabase, postgresAvailable, postgresTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { accountsCli } from './real-mode.js';
import { itWhen } from '../src/testing/services.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const havePostgres = await postgresAvailable();

describe.each([
  ['embedded database', async () => embeddedTestDatabase(), true],
  ['PostgreSQL (DATABASE_URL)', postgresTestDatabase, havePostgres],
] as const)('accounts CLI on the %s (e2e)', (_kind, make, available) => {
  const maybe = itWhen(available);
  let target: TestDatabase;
  const cli = (args: string[], stdin = '') => accountsCli(args, target.env, stdin);

  beforeAll(async () => {
    if (available) target = await make();
  });
  afterAll(async () => {
    if (available) await target.drop();
  });

  maybe('adds an account from a password on stdin, and refuses a second one for the same e-mail', async () => {
    const added = await cli(['add', '--email', 'ada@example.com', '--name', 'Ada Lovelace', '--password-stdin'], `${PASSWORD}\n`);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^Added ada@example.com \(Ada Lovelace\), id [0-9a-f-]{36}\.$/m);
    const again = await cli(['add', '--email', 'ADA@example.com', '--name', 'Ada Again', '--password-stdin'], `${PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('An account with the e-mail ADA@example.com already exists.');
  }, 60_000);

  maybe('refuses a weak password with the reason, never echoing it', async () => {
    const weak = await cli(['add', '--email', 'bob@example.com', '--name', 'Bob', '--password-stdin'], 'password123\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/^Weak password: This password is too easy to guess/);
    expect(weak.stderr + weak.stdout).not.toContain('password123');
  });

  maybe('lists accounts with status, second factor and profiles, and no secret', async () => {
    expect((await cli(['profile', 'add', 'ada@example.com', 'Byron'])).stdout).toContain('Profiles of ada@example.com: Ada Lovelace, Byron.');
    expect((await cli(['disable', 'ada@example.com'])).stdout).toContain('ada@example.com is disabled');
    const listed = await cli(['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ada@example.com\tAda Lovelace\tdisabled\tmailed codes\tprofiles: Ada Lovelace, Byron\t[0-9a-f-]{36}$/m);
    expect(listed.stdout).not.toMatch(/argon2|\$/);
    expect(listed.stdout).not.toContain(PASSWORD);
    expect((await cli(['enable', 'ada@example.com'])).stdout).toContain('ada@example.com is enabled');
  }, 60_000);

  maybe('enrols TOTP with a scannable URI and QR code, and turns it off again', async () => {
    const enabled = await cli(['totp', 'enable', 'ada@example.com']);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toMatch(/otpauth:\/\/totp\/Target:ada%40example\.com\?issuer=Target&secret=[A-Z2-7]{32}&algorithm=SHA1&digits=6&period=30/);
    expect(enabled.stdout).toMatch(/[▀▄█]/);
    expect((await cli(['list'])).stdout).toContain('\ttotp\t');
    expect((await cli(['totp', 'disable', 'ada@example.com'])).stdout).toContain('gets codes by e-mail again');
  }, 60_000);

  maybe('replaces a password from stdin', async () => {
    expect((await cli(['set-password', 'ada@example.com', '--password-stdin'], 'Lantern-Maple-Voyage-7\n')).stdout).toContain("Password of ada@example.com replaced; its earlier sign-ins and linked apps' tokens no longer work.");
  });

  maybe('says which account is unknown, and how to use it when asked wrongly (exit code 2)', async () => {
    const unknown = await cli(['disable', 'ghost@example.com']);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr.trim()).toBe('No account with the e-mail ghost@example.com.');
    const wrong = await cli(['frobnicate']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Unknown command "frobnicate".');
    expect(wrong.stderr).toContain('Usage: pnpm accounts <command>');
    const missing = await cli(['add', '--name', 'No Mail']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email is required.');
    const noPassword = await cli(['add', '--email', 'eve@example.com', '--name', 'Eve']);
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr.trim()).toBe('No terminal to ask for the password: pipe it in with --password-stdin.');
  }, 60_000);
});

describe('accounts CLI settings (e2e)', () => {
  it('refuses a bad DATABASE_URL in plain words, without repeating it', async () => {
    const result = await accountsCli(['list'], { DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL must be a postgres:// URL');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('says in one line, without a stack or the URL, when the database does not answer', async () => {
    const result = await accountsCli(['list'], { DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/target', SECRET_KEY: Buffer.alloc(32, 1).toString('base64') });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Could not open the accounts database (ECONNREFUSED): nothing answers at the address in DATABASE_URL.');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('prints its usage with no command', async () => {
    const result = await accountsCli([], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: pnpm accounts <command>');
  });
});
