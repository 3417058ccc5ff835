/** The two account directories: demo (any address) and stored (the database, here PGlite). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { embeddedTestDatabase, type TestDatabase } from '../testing/databases.js';
import { FakeClock, testConfig } from '../testing/fakes.js';
import { DemoAccountDirectory } from './demo-account-directory.js';
import { hashPassword, WeakPasswordError } from './passwords.js';
import { KeyRing } from './secret-key.js';
import { AccountStore } from './store/account-store.js';
import { type Database, openDatabase } from './store/database.js';
import { StoredAccountDirectory } from './stored-account-directory.js';
import { newTotpSecret, totpCode } from './totp.js';

const STRONG = 'Velvet-Otter-Quarry-81';

describe(DemoAccountDirectory.name, () => {
  const sut = new DemoAccountDirectory(testConfig({ DEMO_USERS: '{"Ada@Example.com":{"name":"Ada Lovelace"}}' }));

  it('accepts any e-mail with any password but an empty one, named from DEMO_USERS in any case, else the demo name', async () => {
    expect(await sut.verifyCredentials('ADA@example.com', 'x')).toEqual({ id: 'demo:ada@example.com', email: 'ADA@example.com', name: 'Ada Lovelace', secondFactor: 'email' });
    expect(await sut.verifyCredentials('someone@example.com', 'x')).toMatchObject({ name: 'Lauren Bailey' });
    expect(await sut.verifyCredentials('someone@example.com', '')).toBeNull();
  });

  it('finds an account by its demo id, and nothing for another id', async () => {
    expect(await sut.findById('demo:ada@example.com')).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace' });
    expect(await sut.findById('demo:no-at-sign')).toBeNull();
    expect(await sut.findById('ada@example.com')).toBeNull();
    expect(await sut.findById('other:ada@example.com')).toBeNull();
  });

  it('has no profiles and no authenticator app, and checks a new password against the policy only', async () => {
    expect(await sut.profiles()).toEqual([]);
    expect(await sut.verifyTotp()).toBe(false);
    await expect(sut.setPassword('demo:ada@example.com', 'ada@example.com', 'password')).rejects.toThrow(WeakPasswordError);
    await expect(sut.setPassword('demo:ada@example.com', 'ada@example.com', STRONG)).resolves.toBeUndefined();
  });
});

describe(StoredAccountDirectory.name, () => {
  let target: TestDatabase;
  let database: Database;
  let store: AccountStore;
  const keys = new KeyRing(Buffer.alloc(32, 2));
  const clock = new FakeClock(Date.UTC(2026, 10, 28, 12));
  let sut: StoredAccountDirectory;
  let ada: { id: string };
  let off: { id: string };

  beforeAll(async () => {
    target = embeddedTestDatabase();
    database = await openDatabase({ dataDir: target.dataDir });
    store = new AccountStore(database.db);
    sut = new StoredAccountDirectory(store, keys, clock);
    ada = await store.create({ email: 'ada@example.com', displayName: 'Ada Lovelace', passwordHash: await hashPassword(STRONG) });
    off = await store.create({ email: 'off@example.com', displayName: 'Off', passwordHash: await hashPassword(STRONG) });
    await store.setStatus(off.id, 'disabled');
  }, 60_000);

  afterAll(async () => {
    await database.close();
    await target.drop();
  });

  it('signs in an active account with its password; a wrong password, unknown e-mail or disabled account gets nothing', async () => {
    expect(await sut.verifyCredentials('ada@example.com', STRONG)).toEqual({ id: ada.id, email: 'ada@example.com', name: 'Ada Lovelace', secondFactor: 'email' });
    expect(await sut.verifyCredentials('ada@example.com', `${STRONG}!`)).toBeNull();
    expect(await sut.verifyCredentials('nobody@example.com', STRONG)).toBeNull();
    expect(await sut.verifyCredentials('off@example.com', STRONG)).toBeNull();
  });

  it('finds only active accounts for recovery and by id; a malformed id is never looked up', async () => {
    expect(await sut.findForRecovery('ada@example.com')).toMatchObject({ id: ada.id });
    expect(await sut.findForRecovery('off@example.com')).toBeNull();
    expect(await sut.findForRecovery('nobody@example.com')).toBeNull();
    expect(await sut.findById(ada.id)).toMatchObject({ email: 'ada@example.com' });
    expect(await sut.findById(ada.id.toUpperCase())).toMatchObject({ email: 'ada@example.com' });
    expect(await sut.findById(off.id)).toBeNull();
    expect(await sut.findById('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await sut.findById(`${ada.id}x`)).toBeNull();
    expect(await sut.findById(`x${ada.id}`)).toBeNull();
    expect(await sut.findById("' or 1=1 --")).toBeNull();
  });

  it('sets a new password that passes the policy, and refuses a weak one', async () => {
    const bob = await store.create({ email: 'bob@example.com', displayName: 'Bob', passwordHash: await hashPassword(STRONG) });
    await expect(sut.setPassword(bob.id, 'bob@example.com', 'bob@example.com1')).rejects.toThrow(WeakPasswordError);
    await sut.setPassword(bob.id, 'bob@example.com', 'Granite-Pelican-Harbor-42');
    expect(await sut.verifyCredentials('bob@example.com', 'Granite-Pelican-Harbor-42')).toMatchObject({ id: bob.id });
    expect(await sut.verifyCredentials('bob@example.com', STRONG)).toBeNull();
  });

  it('lists the profiles of an account', async () => {
    const home = await store.create({ email: 'home@example.com', displayName: 'Sam Home', passwordHash: await hashPassword(STRONG) });
    await store.addProfile(home.id, 'Alex Home');
    expect((await sut.profiles(home.id)).map((profile) => profile.name).sort()).toEqual(['Alex Home', 'Sam Home']);
  });

  it('asks for the authenticator app once one is set, and takes each of its codes once, only for an active account', async () => {
    const app = await store.create({ email: 'app@example.com', displayName: 'App', passwordHash: await hashPassword(STRONG) });
    const { secret } = newTotpSecret('app@example.com');
    await store.setTotpSecret(app.id, keys.seal(secret));
    expect(await sut.verifyCredentials('app@example.com', STRONG)).toMatchObject({ secondFactor: 'totp' });
    const code = totpCode(secret, clock.now());
    expect(await sut.verifyTotp(app.id, '000000' === code ? '111111' : '000000')).toBe(false);
    expect(await sut.verifyTotp(app.id, code)).toBe(true);
    expect(await sut.verifyTotp(app.id, code)).toBe(false);
    expect(await sut.verifyTotp(ada.id, code)).toBe(false);
    expect(await sut.verifyTotp('00000000-0000-4000-8000-000000000000', code)).toBe(false);
    clock.advance(30_000);
    await store.setStatus(app.id, 'disabled');
    expect(await sut.verifyTotp(app.id, totpCode(secret, clock.now()))).toBe(false);
  });
});
