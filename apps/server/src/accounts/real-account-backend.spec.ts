/** Real mode's backend as it starts: which key it insists on, what it says, how long codes last, what it closes. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { SystemClock } from '../common/clock.js';
import { embeddedTestDatabase, postgresAvailable, postgresTestDatabase } from '../testing/databases.js';
import { testConfig } from '../testing/fakes.js';
import { spyLogs } from '../testing/logs.js';
import { closeLater } from '../testing/leftovers.js';
import { itWhen } from '../testing/services.js';
import { settle } from '../testing/teardown.js';
import { memoryLimiters } from '../common/limiters.js';
import { realBackend } from './real-account-backend.js';
import { SecretKeyError } from './secret-key.js';
import { AccountStore } from './store/account-store.js';

afterEach(() => void jest.restoreAllMocks());

const withPostgres = itWhen(await postgresAvailable());

/** The backend, closed once however often asked, and after this file if a failed test did not. */
async function start(env: Record<string, string>) {
  const backend = await realBackend(testConfig({ DEMO_MODE: 'false', ...env }), new SystemClock(), memoryLimiters);
  return { ...backend, close: closeLater(() => backend.close()) };
}

describe('the real account backend', () => {
  it('refuses to start on a shared database without SECRET_KEY, before connecting or writing a key', async () => {
    const { dataDir, drop } = embeddedTestDatabase();
    // Nothing listens on port 1: a backend that tried to connect would fail differently.
    await expect(start({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://127.0.0.1:1/none' })).rejects.toThrow(SecretKeyError);
    await expect(start({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://127.0.0.1:1/none' })).rejects.toThrow(/SECRET_KEY must be set when DATABASE_URL is/);
    expect(existsSync(join(dataDir, 'secret-key'))).toBe(false);
    await drop();
  });

  it('on the embedded database: generates a key, says where it and the database are, and closes the database', async () => {
    const { dataDir, drop } = embeddedTestDatabase();
    const warnings = spyLogs('warn');
    const logs = spyLogs('log');
    const backend = await start({ DATA_DIR: dataDir });
    try {
      expect(warnings()).toEqual([
        `Accounts: SECRET_KEY is not set: generated one into ${join(dataDir, 'secret-key')} (keep it with the data directory).`,
        `Mail: SMTP_URL is not set: codes are written as .eml files to ${join(dataDir, 'outbox')} instead of being mailed.`,
      ]);
      expect(logs()).toContain(`Accounts: Accounts: embedded database in ${dataDir}.`);
      await backend.database!.ping();
    } finally {
      await settle(() => backend.close(), drop);
    }
    await expect(backend.database!.ping()).rejects.toThrow();
  }, 60_000);

  withPostgres('on PostgreSQL: says so, without naming the address, and uses the key it was given', async () => {
    const database = await postgresTestDatabase();
    const warnings = spyLogs('warn');
    const logs = spyLogs('log');
    const backend = await start(database.env);
    try {
      expect(logs()).toContain('Accounts: Accounts: PostgreSQL (DATABASE_URL).');
      expect(logs().join('\n')).not.toContain(database.databaseUrl);
      expect(warnings().filter((line) => line.startsWith('Accounts:'))).toEqual([]);
      expect(existsSync(join(database.dataDir, 'secret-key'))).toBe(false);
      await backend.database!.ping();
    } finally {
      await settle(() => backend.close(), () => database.drop());
    }
  }, 60_000);

  it('mails queued codes to the account, saying how long they last (CODE_TTL_MS in whole minutes), and closes the worker', async () => {
    const { dataDir, drop } = embeddedTestDatabase();
    spyLogs('warn');
    spyLogs('log');
    const backend = await start({ DATA_DIR: dataDir, CODE_TTL_MS: '120000' });
    try {
      await new AccountStore(backend.database!.db).create({ email: 'Ada@example.com', displayName: 'Ada', passwordHash: 'h' });
      await backend.codes.deliver('ada@example.com', '123456', 'sign-in', Date.now() + 120_000);
      const outbox = join(dataDir, 'outbox');
      const whole = () => (existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith('.eml')) : []);
      for (let waited = 0; whole().length === 0 && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      const [mail] = whole();
      const text = readFileSync(join(outbox, mail!), 'utf8');
      expect(text).toContain('It is valid for 2 minutes and works once.');
      expect(text).toContain('To: Ada <Ada@example.com>');
      // The file is written before the row is removed: give the worker its moment, then the queue must be empty.
      let left = await backend.outbox!.queued();
      for (let waited = 0; left > 0 && waited < 5000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await backend.outbox!.queued();
      }
      expect(left).toBe(0);
    } finally {
      await settle(() => backend.close(), drop);
    }
  }, 60_000);
});
