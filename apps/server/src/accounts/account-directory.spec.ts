/** The two account directories: demo (any address) and stored (the database, here PGlite). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { embeddedTestDatabase, type TestDatabase } from '../testing/databases.js';
import { FakeClock, testConfig } from '../testing/fakes.js';
import { DemoAccountDirectory } from './demo-account-directory.js';
import type { UpstreamIdentity } from './account-directory.js';
import { hashPassword, WeakPasswordError } from './passwords.js';
import { KeyRing } from './secret-key.js';
import { IdentityStore } from './store/identity-store.js';
import { AccountStore } from './store/account-store.js';
import { type Database, openDatabase } from './store/database.js';
import { StoredAccountDirectory } from './stored-account-directory.js';
import { newTotpSecret, totpCode } from './totp.js';

const STRONG = 'Velvet-Otter-Quarry-81';

describe(DemoAccountDirectory.name, () => {
  const sut = new DemoAccountDirectory(testConfig({ DEMO_USERS: '{"Ada@Example.com":{"name":"Ada Lovelace"}}' }));

  it('accepts any e-mail with any password but an empty one, named from DEMO_USERS in any case, else the demo name', async () => {
    expect(await sut.verifyCredentials('ADA@example.com', 'x')).toEqual({ id: 'demo:ada@example.com', email: 'ADA@example.com', name: 'Ada Lovelace', secondFactor: 'email', epoch: 0 });
    expect(await sut.verifyCredentials('someone@example.com', 'x')).toMatchObject({ name: 'Lauren Bailey' });
    expect(await sut.verifyCredentials('someone@example.com', '')).toBeNull();
  });

  it('finds an account by its demo id, and nothing for another id', async () => {
    expect(await sut.findById('demo:ada@example.com')).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace' });
    expect(await sut.findById('demo:no-at-sign')).toBeNull();
    expect(await sut.findById('ada@example.com')).toBeNull();
    expect(await sut.findById('other:ada@example.com')).toBeNull();
  });

  it('has no profiles, authenticator app or trusted browsers, and checks a new password against the policy only (the epoch stays 0)', async () => {
    expect(await sut.profiles()).toEqual([]);
    expect(await sut.verifyTotp()).toBe(false);
    await expect(sut.setPassword('demo:ada@example.com', 'ada@example.com', 'password')).rejects.toThrow(WeakPasswordError);
    await expect(sut.setPassword('demo:ada@example.com', 'ada@example.com', STRONG)).resolves.toBe(0);
    await sut.trustDevice();
    expect(await sut.isTrustedDevice()).toBe(false);
  });

  it('signs any upstream identity in as a demo account: its e-mail (or one made from its subject) and the name it gave', async () => {
    const identity = { provider: 'demo', issuer: 'http://localhost:3000/demo-idp', subject: 'sam', email: 'Sam@example.com', emailVerified: false, name: 'Sam Demo' };
    expect(await sut.resolveIdentity(identity)).toEqual({ kind: 'linked', account: { id: 'demo:sam@example.com', email: 'Sam@example.com', name: 'Sam Demo', secondFactor: 'email', epoch: 0 } });
    expect(await sut.resolveIdentity({ ...identity, email: null, name: null, subject: 'a b/c' })).toMatchObject({ kind: 'linked', account: { email: 'abc@demo.example', name: 'Lauren Bailey' } });
    expect(await sut.linkIdentity()).toBe(true);
    // The name given is the account's from then on (a linked app reads it by the account's id).
    expect(await sut.findById('demo:sam@example.com')).toMatchObject({ name: 'Sam Demo' });
    expect(await sut.verifyCredentials('SAM@example.com', 'any')).toMatchObject({ name: 'Sam Demo' });
    await sut.resolveIdentity({ ...identity, name: 'Samuel Demo' });
    expect(await sut.findById('demo:sam@example.com')).toMatchObject({ name: 'Samuel Demo' });
    expect(await sut.findById('demo:other@example.com')).toMatchObject({ name: 'Lauren Bailey' });
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
    sut = new StoredAccountDirectory(store, keys, clock, new IdentityStore(database.db));
    ada = await store.create({ email: 'ada@example.com', displayName: 'Ada Lovelace', passwordHash: await hashPassword(STRONG) });
    off = await store.create({ email: 'off@example.com', displayName: 'Off', passwordHash: await hashPassword(STRONG) });
    await store.changeCredentials(off.id, { status: 'disabled' }, new Date(clock.now()));
  }, 60_000);

  afterAll(async () => {
    await database.close();
    await target.drop();
  });

  it('signs in an active account with its password; a wrong password, unknown e-mail or disabled account gets nothing', async () => {
    expect(await sut.verifyCredentials('ada@example.com', STRONG)).toEqual({ id: ada.id, email: 'ada@example.com', name: 'Ada Lovelace', secondFactor: 'email', epoch: 0 });
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

  it('sets a new password that passes the policy, moving the epoch to the next second; a weak one changes nothing', async () => {
    const bob = await store.create({ email: 'bob@example.com', displayName: 'Bob', passwordHash: await hashPassword(STRONG) });
    await expect(sut.setPassword(bob.id, 'bob@example.com', 'bob@example.com1')).rejects.toThrow(WeakPasswordError);
    expect(await sut.findById(bob.id)).toMatchObject({ epoch: 0 });
    const epoch = await sut.setPassword(bob.id, 'bob@example.com', 'Granite-Pelican-Harbor-42');
    expect(epoch).toBe(Math.floor(clock.now() / 1000) + 1);
    expect(await sut.verifyCredentials('bob@example.com', 'Granite-Pelican-Harbor-42')).toMatchObject({ id: bob.id, epoch });
    expect(await sut.verifyCredentials('bob@example.com', STRONG)).toBeNull();
    // A second change within the same second still moves it on.
    expect(await sut.setPassword(bob.id, 'bob@example.com', 'Lantern-Maple-Voyage-7')).toBe(epoch + 1);
  });

  it('trusts a browser for one account, and forgets all but the changing browser on a new password', async () => {
    const cat = await store.create({ email: 'cat@example.com', displayName: 'Cat', passwordHash: await hashPassword(STRONG) });
    expect(await sut.isTrustedDevice('cat@example.com', 'phone')).toBe(false);
    await sut.trustDevice(cat.id, 'phone');
    await sut.trustDevice(cat.id, 'laptop');
    expect(await sut.isTrustedDevice('CAT@example.com', 'phone')).toBe(true);
    expect(await sut.isTrustedDevice('ada@example.com', 'phone')).toBe(false);
    expect(await sut.isTrustedDevice('nobody@example.com', 'phone')).toBe(false);
    await sut.setPassword(cat.id, 'cat@example.com', 'Granite-Pelican-Harbor-42', 'laptop');
    expect(await sut.isTrustedDevice('cat@example.com', 'phone')).toBe(false);
    expect(await sut.isTrustedDevice('cat@example.com', 'laptop')).toBe(true);
  });

  it('forgets a trusted browser unused for 180 days, and trusts none for a disabled account', async () => {
    const dan = await store.create({ email: 'dan@example.com', displayName: 'Dan', passwordHash: await hashPassword(STRONG) });
    await sut.trustDevice(dan.id, 'old');
    clock.advance(179 * 86_400_000);
    expect(await sut.isTrustedDevice('dan@example.com', 'old')).toBe(true);
    clock.advance(2 * 86_400_000);
    expect(await sut.isTrustedDevice('dan@example.com', 'old')).toBe(false);
    await sut.trustDevice(dan.id, 'old');
    await store.changeCredentials(dan.id, { status: 'disabled' }, new Date(clock.now()), 'old');
    expect(await sut.isTrustedDevice('dan@example.com', 'old')).toBe(false);
  });

  it('lists the profiles of an account', async () => {
    const home = await store.create({ email: 'home@example.com', displayName: 'Sam Home', passwordHash: await hashPassword(STRONG) });
    await store.addProfile(home.id, 'Alex Home');
    expect((await sut.profiles(home.id)).map((profile) => profile.name).sort()).toEqual(['Alex Home', 'Sam Home']);
  });

  it('asks for the authenticator app once one is set, and takes each of its codes once, only for an active account', async () => {
    const app = await store.create({ email: 'app@example.com', displayName: 'App', passwordHash: await hashPassword(STRONG) });
    const { secret } = newTotpSecret('app@example.com');
    await store.changeCredentials(app.id, { totpSecret: keys.seal(secret) }, new Date(clock.now()));
    expect(await sut.verifyCredentials('app@example.com', STRONG)).toMatchObject({ secondFactor: 'totp' });
    const code = totpCode(secret, clock.now());
    expect(await sut.verifyTotp(app.id, '000000' === code ? '111111' : '000000')).toBe(false);
    expect(await sut.verifyTotp(app.id, code)).toBe(true);
    expect(await sut.verifyTotp(app.id, code)).toBe(false);
    expect(await sut.verifyTotp(ada.id, code)).toBe(false);
    expect(await sut.verifyTotp('00000000-0000-4000-8000-000000000000', code)).toBe(false);
    clock.advance(30_000);
    await store.changeCredentials(app.id, { status: 'disabled' }, new Date(clock.now()));
    expect(await sut.verifyTotp(app.id, totpCode(secret, clock.now()))).toBe(false);
  });

  describe('upstream identities', () => {
    const google = (fields: Partial<UpstreamIdentity> = {}): UpstreamIdentity => ({
      provider: 'google',
      issuer: 'https://accounts.google.com',
      subject: 'g-new',
      email: 'fresh@example.com',
      emailVerified: true,
      name: 'Fresh Person',
      ...fields,
    });

    it('makes an account without a password for a verified e-mail nobody has, and finds it by the identity alone afterwards', async () => {
      const made = await sut.resolveIdentity(google(), { signup: true });
      expect(made).toMatchObject({ kind: 'created', account: { email: 'fresh@example.com', name: 'Fresh Person', secondFactor: 'email' } });
      const id = made.kind === 'created' ? made.account.id : '';
      // No password: none signs in to it, not even an empty one.
      expect(await sut.verifyCredentials('fresh@example.com', '')).toBeNull();
      expect(await sut.verifyCredentials('fresh@example.com', STRONG)).toBeNull();
      clock.advance(1000);
      expect(await sut.resolveIdentity(google({ email: 'renamed@example.com', emailVerified: false }), { signup: false })).toMatchObject({ kind: 'linked', account: { id } });
      expect(await new IdentityStore(database.db).list(id)).toMatchObject([{ issuer: 'https://accounts.google.com', subject: 'g-new', provider: 'google', email: 'renamed@example.com' }]);
    });

    it('names an account that has the verified e-mail, to be proven, and links only when asked', async () => {
      const other = google({ subject: 'g-ada', email: 'ADA@example.com' });
      expect(await sut.resolveIdentity(other, { signup: true })).toMatchObject({ kind: 'prove', account: { id: ada.id } });
      expect(await sut.linkIdentity(ada.id, other)).toBe(true);
      expect(await sut.linkIdentity(ada.id, other)).toBe(false);
      expect(await sut.resolveIdentity(other, { signup: true })).toMatchObject({ kind: 'linked', account: { id: ada.id } });
    });

    it('refuses an unverified e-mail, a new identity with sign-ups off, and a disabled account, by either way in', async () => {
      expect(await sut.resolveIdentity(google({ subject: 'g-x', email: 'ada@example.com', emailVerified: false }), { signup: true })).toEqual({
        kind: 'refused',
        message: 'Your provider did not confirm your e-mail address. Sign in with your Target password instead.',
      });
      expect(await sut.resolveIdentity(google({ subject: 'g-y', email: null }), { signup: true })).toMatchObject({ kind: 'refused' });
      expect(await sut.resolveIdentity(google({ subject: 'g-z', email: 'nobody@example.com' }), { signup: false })).toEqual({ kind: 'refused', message: 'No Target account for this identity.' });
      expect(await sut.resolveIdentity(google({ subject: 'g-off', email: 'off@example.com' }), { signup: true })).toEqual({ kind: 'refused', message: 'This Target account cannot sign in.' });
      const linkedThenOff = await store.create({ email: 'later-off@example.com', displayName: 'Later', passwordHash: null });
      await sut.linkIdentity(linkedThenOff.id, google({ subject: 'g-later' }));
      await store.changeCredentials(linkedThenOff.id, { status: 'disabled' }, new Date(clock.now()));
      expect(await sut.resolveIdentity(google({ subject: 'g-later' }), { signup: true })).toEqual({ kind: 'refused', message: 'This Target account cannot sign in.' });
    });

    it('keys on issuer and subject together: the same subject at another issuer is another identity', async () => {
      const identities = new IdentityStore(database.db);
      await sut.linkIdentity(ada.id, google({ subject: 'shared-sub' }));
      expect(await identities.find({ issuer: 'https://accounts.google.com', subject: 'shared-sub' })).toMatchObject({ accountId: ada.id });
      expect(await identities.find({ issuer: 'https://login.microsoftonline.com/t/v2.0', subject: 'shared-sub' })).toBeNull();
      expect(await identities.unlink(off.id, { issuer: 'https://accounts.google.com', subject: 'shared-sub' })).toBe(false);
      expect(await identities.unlink(ada.id, { issuer: 'https://accounts.google.com', subject: 'shared-sub' })).toBe(true);
      expect(await identities.find({ issuer: 'https://accounts.google.com', subject: 'shared-sub' })).toBeNull();
    });
  });
});
