/**
 * The mail outbox: durable, at most once per row, retried with backoff until
 * the code expires, dropped for addresses without an active account; on
 * PGlite and on PostgreSQL (where two workers share one table).
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { embeddedTestDatabase, postgresAvailable, postgresTestDatabase, type TestDatabase } from '../testing/databases.js';
import { spyLogs } from '../testing/logs.js';
import { itWhen } from '../testing/services.js';
import { until } from '../testing/wait.js';
import type { CodeMail, CodeMailer } from './code-mailer.js';
import { MailOutbox, type MailOutcome } from './mail-outbox.js';
import { KeyRing } from './secret-key.js';
import { AccountStore } from './store/account-store.js';
import { type Database, openDatabase } from './store/database.js';

const KEYS = new KeyRing(Buffer.alloc(32, 4));
const MINUTE = 60_000;

/** A mailer that fails while `down`, and can hold every send until released. */
class TestMailer {
  readonly sent: CodeMail[] = [];
  attempts = 0;
  down = false;
  async send(mail: CodeMail): Promise<void> {
    this.attempts++;
    if (this.down) throw Object.assign(new Error(`connect ECONNREFUSED for ${mail.to}`), { code: 'ECONNECTION' });
    this.sent.push(mail);
  }
}

const havePostgres = await postgresAvailable();
const kinds: [string, () => Promise<TestDatabase>, boolean][] = [
  ['embedded (PGlite)', async () => embeddedTestDatabase(), true],
  ['PostgreSQL', postgresTestDatabase, havePostgres],
];

afterEach(() => void jest.restoreAllMocks());

describe.each(kinds)('MailOutbox on %s', (_kind, make, available) => {
  const maybe = itWhen(available);
  let target: TestDatabase;
  let database: Database;
  let accounts: AccountStore;
  const running: MailOutbox[] = [];

  beforeAll(async () => {
    if (!available) return;
    target = await make();
    database = await openDatabase({ dataDir: target.dataDir, databaseUrl: target.databaseUrl });
    accounts = new AccountStore(database.db);
    await accounts.create({ email: 'Ada@Example.com', displayName: 'Ada Lovelace', passwordHash: 'h' });
    const off = await accounts.create({ email: 'off@example.com', displayName: 'Off', passwordHash: 'h' });
    await accounts.changeCredentials(off.id, { status: 'disabled' }, new Date());
  }, 60_000);

  afterEach(async () => {
    await Promise.all(running.splice(0).map((outbox) => outbox.stop()));
    if (available) await database.db.execute(sql`delete from mail_outbox`);
  });

  afterAll(async () => {
    if (!available) return;
    await database.close();
    await target.drop();
  });

  function outbox(mailer: TestMailer, options: { backoffMs?: number; abandonAfterMs?: number } = {}) {
    const outcomes: MailOutcome[] = [];
    const sut = new MailOutbox(database.db, KEYS, mailer as unknown as CodeMailer, accounts, { validMinutes: 10, pollMs: 20, ...options, onOutcome: (outcome) => outcomes.push(outcome) });
    running.push(sut);
    return { sut, outcomes };
  }

  maybe('sends a queued code to the account as stored, with its name, and forgets the row', async () => {
    const mailer = new TestMailer();
    const { sut, outcomes } = outbox(mailer);
    sut.start();
    await sut.enqueue({ email: 'ADA@example.com', purpose: 'reset', code: '042137' }, Date.now() + 10 * MINUTE);
    await until(() => outcomes.length === 1);
    expect(mailer.sent).toEqual([{ to: 'Ada@Example.com', name: 'Ada Lovelace', code: '042137', purpose: 'reset', validMinutes: 10 }]);
    expect(outcomes).toEqual(['sent']);
    expect(await sut.queued()).toBe(0);
  });

  maybe('keeps the address and code sealed in the table', async () => {
    const { sut } = outbox(new TestMailer());
    await sut.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '987654' }, Date.now() + MINUTE);
    // Exact plaintexts, not fragments: a fragment like "ada" turns up in random ciphertext now and then.
    const stored = JSON.stringify(await database.db.execute(sql`select * from mail_outbox`)).toLowerCase();
    for (const plain of ['ada@example.com', '987654']) expect(stored).not.toContain(plain);
    expect(await sut.queued()).toBe(1);
  });

  maybe('drops, silently and without sending, a code for an unknown or disabled address', async () => {
    const mailer = new TestMailer();
    const errors = spyLogs('error');
    const { sut, outcomes } = outbox(mailer);
    sut.start();
    await sut.enqueue({ email: 'nobody@example.com', purpose: 'reset', code: '111111' }, Date.now() + MINUTE);
    await sut.enqueue({ email: 'off@example.com', purpose: 'reset', code: '222222' }, Date.now() + MINUTE);
    await until(() => outcomes.length === 2);
    expect(outcomes).toEqual(['discarded', 'discarded']);
    expect(mailer.attempts).toBe(0);
    expect(errors()).toEqual([]);
  });

  maybe('while SMTP is down, keeps the code and retries with growing waits; delivers once it returns', async () => {
    const mailer = new TestMailer();
    const warnings = spyLogs('warn');
    mailer.down = true;
    const { sut, outcomes } = outbox(mailer, { backoffMs: 50 });
    sut.start();
    await sut.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '333333' }, Date.now() + MINUTE);
    await until(() => mailer.attempts >= 3);
    expect(outcomes).toEqual([]);
    expect(await sut.queued()).toBe(1);
    expect(warnings()[0]).toBe('Mail: Mail not sent (Error (ECONNECTION)); attempt 1, retrying in 0 s.');
    expect(warnings().join('\n')).not.toMatch(/ada|example|333333/);
    mailer.down = false;
    await until(() => outcomes.length === 1, 5000);
    expect(outcomes).toEqual(['sent']);
    expect(mailer.sent.map((mail) => mail.code)).toEqual(['333333']);
  });

  maybe('gives up a code that expires before SMTP returns: logged without secrets, counted as failed', async () => {
    const mailer = new TestMailer();
    const errors = spyLogs('error');
    spyLogs('warn');
    mailer.down = true;
    const { sut, outcomes } = outbox(mailer, { backoffMs: 200 });
    sut.start();
    await sut.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '444444' }, Date.now() + 300);
    await until(() => outcomes.length === 1, 5000);
    expect(outcomes).toEqual(['failed']);
    expect(errors()).toEqual([expect.stringMatching(/^Mail: Mail given up: a code could not be mailed before it expired \(\d attempts?, last: Error \(ECONNECTION\)\)\.$/)]);
    expect(await sut.queued()).toBe(0);
  });

  maybe('gives up, unsent, a code that expired while it waited (a worker that was down), saying how many sends had failed', async () => {
    const errors = spyLogs('error');
    const mailer = new TestMailer();
    const { sut, outcomes } = outbox(mailer);
    await sut.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '909090' }, Date.now() - 1);
    sut.start();
    await until(() => outcomes.length === 1);
    expect(outcomes).toEqual(['failed']);
    expect(mailer.attempts).toBe(0);
    expect(errors()).toEqual(['Mail: Mail given up: a code expired before it could be mailed (0 failed attempts).']);
  });

  maybe('gives up at once a code the mail server refuses for good (5xx), without retrying', async () => {
    const mailer = new TestMailer();
    const errors = spyLogs('error');
    mailer.send = async () => {
      mailer.attempts++;
      throw Object.assign(new Error('550 5.1.1 ada@example.com: user unknown'), { code: 'EENVELOPE', responseCode: 550 });
    };
    const { sut, outcomes } = outbox(mailer, { backoffMs: 10 });
    sut.start();
    await sut.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '454545' }, Date.now() + MINUTE);
    await until(() => outcomes.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(outcomes).toEqual(['failed']);
    expect(mailer.attempts).toBe(1);
    expect(errors()).toEqual(['Mail: Mail given up: the mail server refused a code for good (Error (EENVELOPE), 550).']);
  });

  maybe('retries what is not a 5xx answer (a 4xx, a code outside 500–599 or not a number, a failure that is no error) and gives up on 500 and 599', async () => {
    const warnings = spyLogs('warn');
    const errors = spyLogs('error');
    const mailer = new TestMailer();
    const failures: unknown[] = [
      Object.assign(new Error('421 try later'), { responseCode: 421 }),
      Object.assign(new Error('600?'), { responseCode: 600 }),
      Object.assign(new Error('550 as text'), { responseCode: '550' }),
      undefined,
    ];
    const send = mailer.send.bind(mailer);
    mailer.send = async (mail) => {
      if (failures.length > 0) {
        mailer.attempts++;
        throw failures.shift();
      }
      return send(mail);
    };
    const { sut, outcomes } = outbox(mailer, { backoffMs: 10 });
    sut.start();
    await sut.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '246802' }, Date.now() + MINUTE);
    await until(() => outcomes.length === 1, 5000);
    expect(outcomes).toEqual(['sent']);
    expect(mailer.attempts).toBe(5);
    expect(warnings()).toHaveLength(4);
    expect(errors()).toEqual([]);

    for (const responseCode of [500, 599]) {
      const refusing = new TestMailer();
      refusing.send = async () => {
        refusing.attempts++;
        throw Object.assign(new Error('refused'), { code: 'EMESSAGE', responseCode });
      };
      const { sut: next, outcomes: given } = outbox(refusing, { backoffMs: 10 });
      next.start();
      await next.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '135791' }, Date.now() + MINUTE);
      await until(() => given.length === 1);
      expect(given).toEqual(['failed']);
      expect(refusing.attempts).toBe(1);
      await next.stop();
    }
  });

  maybe('waits backoffMs before the first retry and twice as long before the next', async () => {
    const warnings = spyLogs('warn');
    const mailer = new TestMailer();
    mailer.down = true;
    const { sut } = outbox(mailer, { backoffMs: 1000 });
    sut.start();
    await sut.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '975319' }, Date.now() + MINUTE);
    await until(() => mailer.attempts >= 2, 5000);
    expect(warnings().slice(0, 2)).toEqual([
      'Mail: Mail not sent (Error (ECONNECTION)); attempt 1, retrying in 1 s.',
      'Mail: Mail not sent (Error (ECONNECTION)); attempt 2, retrying in 2 s.',
    ]);
  });

  maybe('works without an outcome listener, a cut-off send included', async () => {
    const errors = spyLogs('error');
    const mailer = new TestMailer();
    const bare = new MailOutbox(database.db, KEYS, mailer as unknown as CodeMailer, accounts, { validMinutes: 10, pollMs: 20, abandonAfterMs: 100 });
    running.push(bare);
    await bare.enqueue({ email: 'ada@example.com', purpose: 'reset', code: '123123' }, Date.now() + MINUTE);
    await database.db.execute(sql`update mail_outbox set status = 'sending', claimed_at = now() - interval '1 second', attempts = 1`);
    await bare.enqueue({ email: 'ada@example.com', purpose: 'reset', code: '456456' }, Date.now() + MINUTE);
    bare.start();
    await until(() => mailer.sent.length === 1);
    for (let waited = 0; (await bare.queued()) > 0 && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await bare.queued()).toBe(0);
    expect(errors()).toEqual(['Mail: Mail given up: its send was cut off (the process stopped mid-send); it is not sent twice.']);
  });

  maybe('says the outbox is unavailable while its database fails, by kind only, and carries on once it answers', async () => {
    const errors = spyLogs('error');
    const mailer = new TestMailer();
    let failing = 2;
    const flaky = new Proxy(database.db, {
      get(target, key, receiver) {
        if (key === 'execute' && failing > 0) {
          return async () => {
            failing--;
            throw Object.assign(new Error('terminating connection for ada@example.com'), { code: '57P01' });
          };
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const outcomes: MailOutcome[] = [];
    const sut = new MailOutbox(flaky, KEYS, mailer as unknown as CodeMailer, accounts, { validMinutes: 10, pollMs: 20, onOutcome: (outcome) => outcomes.push(outcome) });
    running.push(sut);
    await new MailOutbox(database.db, KEYS, mailer as unknown as CodeMailer, accounts, { validMinutes: 10 }).enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: '864202' }, Date.now() + MINUTE);
    sut.start();
    await until(() => outcomes.length === 1, 5000);
    expect(outcomes).toEqual(['sent']);
    expect(errors()).toEqual(['Mail: Mail outbox unavailable: Error (57P01)', 'Mail: Mail outbox unavailable: Error (57P01)']);
  });

  maybe('survives a restart: what one worker queued and did not send, the next one sends', async () => {
    const first = new TestMailer();
    const { sut: before } = outbox(first);
    await before.enqueue({ email: 'ada@example.com', purpose: 'reset', code: '555555' }, Date.now() + MINUTE);
    await before.stop();
    const second = new TestMailer();
    const { sut: after, outcomes } = outbox(second);
    after.start();
    await until(() => outcomes.length === 1);
    expect(second.sent.map((mail) => mail.code)).toEqual(['555555']);
    expect(first.attempts).toBe(0);
  });

  maybe('never sends twice a row whose send was cut off (a crash mid-send): it is given up and logged', async () => {
    const errors = spyLogs('error');
    const { sut } = outbox(new TestMailer(), { abandonAfterMs: 100 });
    await sut.enqueue({ email: 'ada@example.com', purpose: 'reset', code: '666666' }, Date.now() + MINUTE);
    // A worker claimed it and died: the row stays marked as being sent.
    await database.db.execute(sql`update mail_outbox set status = 'sending', claimed_at = now() - interval '1 second', attempts = 1`);
    const mailer = new TestMailer();
    const { sut: next, outcomes } = outbox(mailer, { abandonAfterMs: 100 });
    next.start();
    await until(() => outcomes.length === 1);
    expect(outcomes).toEqual(['failed']);
    expect(mailer.attempts).toBe(0);
    expect(errors()).toEqual(['Mail: Mail given up: its send was cut off (the process stopped mid-send); it is not sent twice.']);
  });

  maybe('gives up a row it cannot open (SECRET_KEY changed)', async () => {
    const errors = spyLogs('error');
    const mailer = new TestMailer();
    const other = new MailOutbox(database.db, new KeyRing(Buffer.alloc(32, 5)), mailer as unknown as CodeMailer, accounts, { validMinutes: 10 });
    await other.enqueue({ email: 'ada@example.com', purpose: 'reset', code: '777777' }, Date.now() + MINUTE);
    const { sut, outcomes } = outbox(mailer);
    sut.start();
    await until(() => outcomes.length === 1);
    expect(outcomes).toEqual(['failed']);
    expect(errors()).toEqual(['Mail: Mail given up: a queued code could not be read (was SECRET_KEY changed?).']);
  });

  maybe('stops looking for rows when stopped, and waits for the send under way', async () => {
    const mailer = new TestMailer();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const send = mailer.send.bind(mailer);
    let sending = false;
    mailer.send = async (mail) => {
      sending = true;
      await held;
      return send(mail);
    };
    const { sut, outcomes } = outbox(mailer);
    sut.start();
    await sut.enqueue({ email: 'ada@example.com', purpose: 'reset', code: '888888' }, Date.now() + MINUTE);
    await until(() => sending);
    const stopping = sut.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(outcomes).toEqual(['sent']);
    await sut.enqueue({ email: 'ada@example.com', purpose: 'reset', code: '999999' }, Date.now() + MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await sut.queued()).toBe(1);
  });

  maybe('sends each of 40 rows exactly once with two workers on one table', async () => {
    const mailer = new TestMailer();
    const one = outbox(mailer);
    const two = outbox(mailer);
    for (let i = 0; i < 40; i++) await one.sut.enqueue({ email: 'ada@example.com', purpose: 'sign-in', code: String(100000 + i) }, Date.now() + MINUTE);
    one.sut.start();
    two.sut.start();
    await until(() => mailer.sent.length >= 40, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mailer.sent.map((mail) => mail.code).sort()).toEqual(Array.from({ length: 40 }, (_, i) => String(100000 + i)));
    expect(one.outcomes.length + two.outcomes.length).toBe(40);
  });
});
