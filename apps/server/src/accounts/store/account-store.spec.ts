/**
 * The account store's contract, run against PGlite and against PostgreSQL
 * (the PostgreSQL half needs a server; see src/testing/databases.ts).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { embeddedTestDatabase, postgresAvailable, postgresTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { AccountStore, DuplicateError } from './account-store.js';
import { type Database, openDatabase } from './database.js';
import { itWhen } from '../../testing/services.js';

const havePostgres = await postgresAvailable();

const kinds: [string, () => Promise<TestDatabase>, boolean][] = [
  ['embedded (PGlite)', async () => embeddedTestDatabase(), true],
  ['PostgreSQL', postgresTestDatabase, havePostgres],
];

describe.each(kinds)('AccountStore on %s', (_kind, make, available) => {
  const maybe = itWhen(available);
  let target: TestDatabase;
  let database: Database;
  let sut: AccountStore;

  beforeAll(async () => {
    if (!available) return;
    target = await make();
    database = await openDatabase({ dataDir: target.dataDir, databaseUrl: target.databaseUrl });
    sut = new AccountStore(database.db);
  }, 60_000);

  afterAll(async () => {
    if (!available) return;
    await database.close();
    await target.drop();
  });

  maybe('creates an account with one profile named after it, and finds it by e-mail in any case', async () => {
    const created = await sut.create({ email: 'Ada@Example.com', displayName: 'Ada Lovelace', passwordHash: 'h1' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.status).toBe('active');
    expect((await sut.findByEmail('ada@example.COM'))?.id).toBe(created.id);
    expect((await sut.findById(created.id))?.email).toBe('Ada@Example.com');
    expect(await sut.profiles(created.id)).toEqual([{ id: expect.any(String), name: 'Ada Lovelace' }]);
    expect(await sut.findByEmail('nobody@example.com')).toBeNull();
  });

  maybe('refuses a second account for the same e-mail, whatever its case or surrounding spaces', async () => {
    await sut.create({ email: 'dup@example.com', displayName: 'One', passwordHash: 'h' });
    await expect(sut.create({ email: 'DUP@example.com', displayName: 'Two', passwordHash: 'h' })).rejects.toMatchObject({
      name: 'DuplicateError',
      message: 'An account with the e-mail DUP@example.com already exists.',
    });
    await expect(sut.create({ email: ' dup@example.com ', displayName: 'Three', passwordHash: 'h' })).rejects.toBeInstanceOf(DuplicateError);
    expect((await sut.findByEmail('dup@example.com'))?.email).toBe('dup@example.com');
    expect((await sut.list()).filter((account) => account.email.toLowerCase() === 'dup@example.com')).toHaveLength(1);
  });

  maybe('changes status and password with the credentials epoch, and says when the account is unknown', async () => {
    const { id } = await sut.create({ email: 'status@example.com', displayName: 'S', passwordHash: 'old' });
    expect(await sut.findById(id)).toMatchObject({ credentialsEpoch: 0 });
    const now = new Date(Date.UTC(2026, 11, 4, 12, 0, 0, 999));
    const epoch = await sut.changeCredentials(id, { status: 'disabled', passwordHash: 'new' }, now);
    expect(epoch).toBe(Math.floor(now.getTime() / 1000) + 1);
    expect(await sut.findById(id)).toMatchObject({ status: 'disabled', passwordHash: 'new', credentialsEpoch: epoch });
    // Never backwards: an older clock still moves it one on.
    expect(await sut.changeCredentials(id, { status: 'active' }, new Date(0))).toBe(epoch! + 1);
    expect(await sut.changeCredentials('00000000-0000-4000-8000-000000000000', { status: 'active' }, now)).toBeNull();
  });

  maybe('rehashes a password without moving the epoch', async () => {
    const { id } = await sut.create({ email: 'rehash@example.com', displayName: 'R', passwordHash: 'old' });
    expect(await sut.rehashPassword(id, 'same-password-new-hash')).toBe(true);
    expect(await sut.findById(id)).toMatchObject({ passwordHash: 'same-password-new-hash', credentialsEpoch: 0 });
  });

  maybe('keeps the 20 most recently used trusted browsers, and forgets them on a credentials change but the one kept', async () => {
    const { id } = await sut.create({ email: 'devices@example.com', displayName: 'D', passwordHash: 'h' });
    const start = Date.UTC(2026, 11, 1);
    for (let i = 0; i < 22; i++) await sut.trustDevice(id, `device-${i}`, new Date(start + i * 1000));
    // Used again: device-0 becomes the most recent and stays.
    await sut.trustDevice(id, 'device-0', new Date(start + 60_000));
    const at = new Date(start + 120_000);
    const trusted = async () => (await Promise.all(Array.from({ length: 22 }, (_, i) => sut.isTrustedDevice('DEVICES@example.com', `device-${i}`, at)))).map(Boolean);
    // device-0 and device-1 made room for device-20 and device-21; device-0, trusted again, for... device-2.
    expect(await trusted()).toEqual([true, false, false, ...Array(19).fill(true)]);
    await sut.changeCredentials(id, { passwordHash: 'h2' }, at, 'device-7');
    expect((await trusted()).flatMap((ok, i) => (ok ? [i] : []))).toEqual([7]);
    await sut.changeCredentials(id, { passwordHash: 'h3' }, at);
    expect((await trusted()).some(Boolean)).toBe(false);
  });

  maybe('accepts each TOTP step once and only moving forward, even when raced; a new secret starts over', async () => {
    const { id } = await sut.create({ email: 'totp@example.com', displayName: 'T', passwordHash: 'h' });
    await sut.changeCredentials(id, { totpSecret: 'sealed' }, new Date());
    const raced = await Promise.all(Array.from({ length: 8 }, () => sut.acceptTotpStep(id, 100)));
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await sut.acceptTotpStep(id, 99)).toBe(false);
    expect(await sut.acceptTotpStep(id, 101)).toBe(true);
    await sut.changeCredentials(id, { totpSecret: 'another' }, new Date());
    expect(await sut.acceptTotpStep(id, 50)).toBe(true);
    await sut.changeCredentials(id, { totpSecret: null }, new Date());
    expect((await sut.findById(id))?.totpSecret).toBeNull();
  });

  maybe('keeps profiles in the order added and refuses a duplicate name', async () => {
    const { id } = await sut.create({ email: 'home@example.com', displayName: 'Sam Home', passwordHash: 'h' });
    await sut.addProfile(id, 'Alex');
    await sut.addProfile(id, 'Kim');
    await expect(sut.addProfile(id, 'alex')).rejects.toMatchObject({ name: 'DuplicateError', message: 'This account already has a profile named alex.' });
    expect((await sut.profiles(id)).map((profile) => profile.name)).toEqual(['Sam Home', 'Alex', 'Kim']);
    const listed = (await sut.list()).find((account) => account.id === id);
    expect(listed).toMatchObject({ profiles: ['Sam Home', 'Alex', 'Kim'], totp: false, status: 'active' });
    expect(listed).not.toHaveProperty('passwordHash');
  });

  maybe('stores an e-mail without the spaces around it', async () => {
    const created = await sut.create({ email: '  spaced@example.com ', displayName: 'Spaced', passwordHash: 'h' });
    expect(created.email).toBe('spaced@example.com');
  });

  maybe('passes on a failure that is not a duplicate as it is', async () => {
    // A profile for no account breaks the foreign key; text cannot hold NUL: neither is a duplicate.
    const orphan = sut.addProfile('00000000-0000-4000-8000-000000000000', 'Nobody');
    await expect(orphan).rejects.toThrow();
    await expect(orphan).rejects.not.toBeInstanceOf(DuplicateError);
    const nul = sut.create({ email: 'nul\u0000@example.com', displayName: 'Nul', passwordHash: 'h' });
    await expect(nul).rejects.toThrow();
    await expect(nul).rejects.not.toBeInstanceOf(DuplicateError);
  });

  maybe('says what kind it is and answers pings', async () => {
    expect(database.kind).toBe(target.databaseUrl ? 'postgres' : 'embedded');
    await expect(database.ping()).resolves.toBeUndefined();
  });

  maybe('runs its migrations once: reopening the same database changes nothing', async () => {
    await database.close();
    await expect(database.ping()).rejects.toThrow();
    database = await openDatabase({ dataDir: target.dataDir, databaseUrl: target.databaseUrl });
    sut = new AccountStore(database.db);
    expect(await sut.findByEmail('ada@example.com')).not.toBeNull();
  }, 60_000);
});

describe('the embedded database', () => {
  it('is opened by one process at a time', async () => {
    const target = embeddedTestDatabase();
    const first = await openDatabase({ dataDir: target.dataDir });
    try {
      await expect(openDatabase({ dataDir: target.dataDir })).rejects.toThrow(/open in another process/);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir: target.dataDir });
    await again.close();
    await target.drop();
  }, 60_000);

  it('keeps its lock as a private file naming this process, answers pings, and drops the lock when closed', async () => {
    const target = embeddedTestDatabase();
    const dataDir = join(target.dataDir, 'nested');
    const lock = join(dataDir, 'pglite.lock');
    const database = await openDatabase({ dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
      expect(statSync(lock).mode & 0o777).toBe(0o600);
      expect(database.kind).toBe('embedded');
      await expect(database.ping()).resolves.toBeUndefined();
    } finally {
      await database.close();
    }
    expect(existsSync(lock)).toBe(false);
    await target.drop();
  }, 60_000);

  it('lets go of its lock when it cannot open or migrate (a data directory that is not ours)', async () => {
    const target = embeddedTestDatabase();
    const lock = join(target.dataDir, 'pglite.lock');
    // A PostgreSQL data directory of another version: PGlite does not start.
    mkdirSync(join(target.dataDir, 'pglite'));
    writeFileSync(join(target.dataDir, 'pglite', 'PG_VERSION'), '9\n');
    await expect(openDatabase({ dataDir: target.dataDir })).rejects.toThrow();
    expect(existsSync(lock)).toBe(false);
    rmSync(join(target.dataDir, 'pglite'), { recursive: true });
    // A database whose tables clash with ours: the migration fails, and the database is closed.
    const { PGlite } = await import('@electric-sql/pglite');
    const foreign = await PGlite.create(join(target.dataDir, 'pglite'));
    await foreign.exec('create table accounts (id integer)');
    await foreign.close();
    await expect(openDatabase({ dataDir: target.dataDir })).rejects.toThrow();
    expect(existsSync(lock)).toBe(false);
    await target.drop();
  }, 60_000);

  it('closes cleanly when its lock file was already removed (by hand, say)', async () => {
    const target = embeddedTestDatabase();
    const database = await openDatabase({ dataDir: target.dataDir });
    rmSync(join(target.dataDir, 'pglite.lock'));
    await expect(database.close()).resolves.toBeUndefined();
    await target.drop();
  }, 60_000);

  it('takes over a lock left by a process that no longer runs, or one that names no process', async () => {
    const target = embeddedTestDatabase();
    const lock = join(target.dataDir, 'pglite.lock');
    for (const left of ['2147483646', 'garbage', '0', '-1']) {
      writeFileSync(lock, left);
      const database = await openDatabase({ dataDir: target.dataDir });
      expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
      await database.close();
    }
    // A running process (init) holds it: refused, by pid.
    writeFileSync(lock, '1');
    await expect(openDatabase({ dataDir: target.dataDir })).rejects.toMatchObject({
      name: 'DataDirInUseError',
      message: `The embedded database in ${target.dataDir} is open in another process (pid 1). Stop it first, or use DATABASE_URL for a database several processes can share.`,
    });
    await target.drop();
  }, 60_000);
});
