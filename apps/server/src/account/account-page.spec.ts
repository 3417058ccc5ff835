import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import type { ConnectedApp } from '@target-auth/shared/account';
import type { Account, AccountDirectory } from '../accounts/account-directory.js';
import { MemoryPasskeyStore } from '../accounts/passkey-store.js';
import { Passkeys } from '../accounts/passkeys.js';
import { KeyRing } from '../accounts/secret-key.js';
import { totpCode } from '../accounts/totp.js';
import type { ConnectedApps } from '../oauth/connected-apps.js';
import { WeakPasswordError } from '../accounts/passwords.js';
import type { PasswordAttempts } from '../session/password-attempts.js';
import type { SessionService } from '../session/session.service.js';
import { StepError } from '../session/step-error.js';
import type { UpstreamSignIn } from '../upstream/upstream-sign-in.js';
import { FakeClock, testConfig } from '../testing/fakes.js';
import { AccountCookies, PAGE_SIGN_IN_MS, type PageSignIn } from './account-cookies.js';
import { AccountPageService } from './account-page.service.js';

const KEYS = new KeyRing(Buffer.alloc(32, 3));
const ADA: Account = { id: 'acct-1', email: 'ada@example.com', name: 'Ada Lovelace', secondFactor: 'email', epoch: 100 };
const MINUTE = 60_000;

const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;
/** The cookie a Set-Cookie header sets, as the browser sends it back. */
const sentBack = (header: string) => header.split(';')[0]!;

describe(AccountCookies.name, () => {
  const clock = new FakeClock();
  const cookies = new AccountCookies(KEYS, clock, testConfig({ PUBLIC_URL: 'https://target.example' }));
  const signIn: PageSignIn = { accountId: 'acct-1', profile: 'Sam', epoch: 100, at: clock.now() };

  it('seals who signed in into a strict, secure cookie for /account, spending the binding', () => {
    const [cookie, binding] = cookies.signedIn(signIn);
    expect(cookie).toMatch(/^target_account=v1\.[A-Za-z0-9_.-]+; Path=\/account; Max-Age=3600; HttpOnly; SameSite=Strict; Secure$/);
    expect(cookie).not.toContain('acct-1');
    expect(binding).toBe('target_account_signin=; Path=/account; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
    expect(cookies.read(request(sentBack(cookie!)))).toEqual(signIn);
    expect(cookies.read(request(`other=1; ${sentBack(cookies.signedIn({ ...signIn, profile: null })[0]!)}`))).toEqual({ ...signIn, profile: null });
    expect(cookies.signedOut()).toBe('target_account=; Path=/account; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
  });

  it('reads no sign-in from no cookie, a forged or foreign one, a malformed one, or one an hour old', () => {
    const [cookie] = cookies.signedIn(signIn);
    expect(cookies.read(request())).toBeUndefined();
    expect(cookies.read(request('target_account=v1.AAAA.BBBB.CCCC'))).toBeUndefined();
    expect(cookies.read(request(`target_account=${KEYS.seal(JSON.stringify(['acct-1', null, 100, clock.now()]), 'upstream')}`))).toBeUndefined();
    for (const shape of [['acct-1', null, 100], ['acct-1', null, 100, clock.now(), 1], [1, null, 100, clock.now()], ['acct-1', 2, 100, clock.now()], ['acct-1', null, '100', clock.now()], ['acct-1', null, 100, 'now'], { a: 1 }]) {
      expect(cookies.read(request(`target_account=${KEYS.seal(JSON.stringify(shape), 'account-page')}`))).toBeUndefined();
    }
    expect(cookies.read(request(`target_account=${KEYS.seal('not json', 'account-page')}`))).toBeUndefined();
    const later = new FakeClock(clock.now() + PAGE_SIGN_IN_MS - 1);
    expect(new AccountCookies(KEYS, later, testConfig()).read(request(sentBack(cookie!)))).toEqual(signIn);
    later.advance(1);
    expect(new AccountCookies(KEYS, later, testConfig()).read(request(sentBack(cookie!)))).toBeUndefined();
    // From the future (a clock gone back): not trusted either.
    expect(new AccountCookies(KEYS, new FakeClock(clock.now() - 1), testConfig()).read(request(sentBack(cookie!)))).toBeUndefined();
  });

  it('keeps an authenticator being set up for its account, ten minutes', () => {
    const header = cookies.pendingAuthenticator('acct-1', 'SECRETSECRET');
    expect(header).toMatch(/^target_account_totp=v1\.[^;]+; Path=\/account; Max-Age=600; HttpOnly; SameSite=Strict; Secure$/);
    expect(header).not.toContain('SECRETSECRET');
    const req = request(sentBack(header));
    expect(cookies.pendingAuthenticatorOf(req, 'acct-1')).toBe('SECRETSECRET');
    expect(cookies.pendingAuthenticatorOf(req, 'acct-2')).toBeUndefined();
    expect(cookies.pendingAuthenticatorOf(request(), 'acct-1')).toBeUndefined();
    expect(cookies.pendingAuthenticatorOf(request('target_account_totp=v1.A.B.C'), 'acct-1')).toBeUndefined();
    expect(cookies.pendingAuthenticatorOf(request(`target_account_totp=${KEYS.seal('{}', 'account-page')}`), 'acct-1')).toBeUndefined();
    const later = new FakeClock(clock.now() + 10 * MINUTE - 1);
    expect(new AccountCookies(KEYS, later, testConfig()).pendingAuthenticatorOf(req, 'acct-1')).toBe('SECRETSECRET');
    later.advance(1);
    expect(new AccountCookies(KEYS, later, testConfig()).pendingAuthenticatorOf(req, 'acct-1')).toBeUndefined();
    expect(cookies.authenticatorDone()).toBe('target_account_totp=; Path=/account; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
  });

  it('binds a sign-in to the browser with a random value, Secure only behind https', () => {
    const one = cookies.binding();
    const two = cookies.binding();
    expect(one.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(two.value).not.toBe(one.value);
    expect(one.header).toBe(`target_account_signin=${one.value}; Path=/account; Max-Age=900; HttpOnly; SameSite=Strict; Secure`);
    expect(cookies.bindingOf(request(sentBack(one.header)))).toBe(one.value);
    expect(new AccountCookies(KEYS, clock, testConfig({ PUBLIC_URL: 'http://localhost:3000' })).binding().header).not.toContain('Secure');
  });
});

function service(account: Account | null = ADA) {
  const clock = new FakeClock();
  const ended: string[] = [];
  const created: (string | undefined)[] = [];
  const handed: [string, string][] = [];
  const revoked: [string, string][] = [];
  const app: ConnectedApp = { clientId: 'chatgpt', client: { name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com' }, access: [], linkedAt: 1, lastUsedAt: null };
  const sessions = {
    create: async (options: { interaction?: string }) => (created.push(options.interaction), { sessionId: 'sess_1', expiresAt: new Date() }),
    handOver: async (sessionId: string, interaction: string) => (handed.push([sessionId, interaction]), interaction === 'account:bound' ? { accountId: ADA.id, profile: null, epoch: 100 } : null),
  } as unknown as SessionService;
  const directory = {
    findById: async (id: string) => (account && id === account.id ? account : null),
    endSignIns: async (id: string) => (ended.push(id), 101),
  } as unknown as AccountDirectory;
  const apps = {
    list: async () => [app],
    revoke: async (accountId: string, clientId: string) => (revoked.push([accountId, clientId]), clientId === 'chatgpt'),
  } as unknown as ConnectedApps;
  const attempts: string[] = [];
  let refuseAttempt: Error | undefined;
  const passwords = {
    reserve: async (email: string) => {
      if (refuseAttempt) throw refuseAttempt;
      attempts.push(`reserved ${email}`);
      return { succeeded: async () => void attempts.push('succeeded'), withdrawn: async () => void attempts.push('withdrawn') };
    },
  } as unknown as PasswordAttempts;
  const changed: [string, string, string][] = [];
  Object.assign(directory, {
    verifyCredentials: async (email: string, password: string) => (password === 'current-one' && account?.email === email ? account : null),
    setPassword: async (id: string, email: string, password: string) => {
      if (password === 'weak') throw new WeakPasswordError('Use a longer password.');
      changed.push([id, email, password]);
      return 150;
    },
  });
  const identity = { provider: 'google', issuer: 'https://accounts.google.com', subject: 'g-1', email: 'ada@gmail.example', linkedAt: 1, lastUsedAt: 2 };
  const unlinks: string[] = [];
  Object.assign(directory, {
    linkedIdentities: async (id: string) => (id === ADA.id ? [identity, { ...identity, provider: 'gone', subject: 'x-1' }] : []),
    unlinkIdentity: async (id: string, key: { issuer: string; subject: string }) => {
      unlinks.push(`${id} ${key.issuer} ${key.subject}`);
      if (key.subject === 'g-1') return { unlinked: true, epoch: 160 };
      return { unlinked: false, reason: key.subject === 'last' ? 'last_way_in' : 'not_found' };
    },
  });
  const authenticators: (string | null)[] = [];
  Object.assign(directory, {
    keepsAuthenticators: true,
    setAuthenticator: async (_id: string, secret: string | null) => (authenticators.push(secret), 170),
    verifyTotp: async (_id: string, code: string) => code === '246810',
  });
  const upstream = { providers: () => [{ id: 'google', name: 'Google' }] } as unknown as UpstreamSignIn;
  const passkeyStore = new MemoryPasskeyStore();
  const passkeys = new Passkeys(passkeyStore, clock, testConfig({ PUBLIC_URL: 'https://target.example' }));
  const sut = new AccountPageService(sessions, directory, apps, clock, passwords, upstream, passkeys, passkeyStore);
  const signIn: PageSignIn = { accountId: ADA.id, profile: 'Sam', epoch: 100, at: clock.now() };
  const refuse = (error: Error) => (refuseAttempt = error);
  return { sut, clock, ended, created, handed, revoked, app, signIn, attempts, changed, refuse, identity, unlinks, authenticators, directory };
}

describe(AccountPageService.name, () => {
  it('opens a sign-in bound to the browser, and takes it over only with that binding', async () => {
    const { sut, created, handed, clock } = service();
    expect(await sut.openSignIn('bound')).toEqual({ sessionId: 'sess_1' });
    expect(created).toEqual(['account:bound']);
    expect(await sut.signIn('sess_1', 'bound')).toEqual({ accountId: ADA.id, profile: null, epoch: 100, at: clock.now() });
    for (const [sessionId, binding] of [['sess_1', 'other'], ['sess_1', undefined], ['', 'bound']] as const) {
      await expect(sut.signIn(sessionId, binding)).rejects.toMatchObject({ status: 401, failure: { error: 'not_signed_in' } });
    }
    // Nothing is asked without both.
    expect(handed).toEqual([
      ['sess_1', 'account:bound'],
      ['sess_1', 'account:other'],
    ]);
  });

  it('shows the account while its sign-in counts: not once disabled, nor after its credentials changed', async () => {
    const { sut, signIn } = service();
    expect(await sut.status(signIn)).toEqual({ signedIn: true, account: { name: ADA.name, email: ADA.email, profile: 'Sam', authenticator: false, recentUntil: signIn.at + 10 * MINUTE } });
    expect(await service({ ...ADA, secondFactor: 'totp' }).sut.status(signIn)).toMatchObject({ account: { authenticator: true } });
    expect(await sut.status(undefined)).toEqual({ signedIn: false });
    expect(await sut.status({ ...signIn, epoch: 99 })).toEqual({ signedIn: false });
    expect(await sut.status({ ...signIn, epoch: 101 })).toMatchObject({ signedIn: true });
    expect(await service(null).sut.status(signIn)).toEqual({ signedIn: false });
    await expect(service(null).sut.connectedApps(signIn)).rejects.toMatchObject({ status: 401, failure: { error: 'not_signed_in', message: 'Sign in to see your account.' } });
    await expect(sut.connectedApps({ ...signIn, epoch: 99 })).rejects.toMatchObject({ status: 401 });
  });

  it('lists and revokes only for the signed-in account; an app it has not is a 404', async () => {
    const { sut, signIn, revoked, app } = service();
    expect(await sut.connectedApps(signIn)).toEqual([app]);
    expect(await sut.revoke(signIn, 'chatgpt')).toEqual([app]);
    await expect(sut.revoke(signIn, 'other')).rejects.toMatchObject({ status: 404, failure: { error: 'not_found' } });
    await expect(sut.revoke(signIn, '')).rejects.toMatchObject({ status: 404 });
    await expect(sut.revoke(undefined, 'chatgpt')).rejects.toMatchObject({ status: 401 });
    expect(revoked).toEqual([
      [ADA.id, 'chatgpt'],
      [ADA.id, 'other'],
    ]);
  });

  it('changes the password with the current one, counting a wrong one, and keeps the page signed in under the new epoch', async () => {
    const { sut, signIn, attempts, changed, clock } = service();
    await expect(sut.changePassword(signIn, 'not-it', 'Lantern-Maple-Voyage-7')).rejects.toMatchObject({ status: 401, failure: { error: 'wrong_password', message: 'That is not your current password.' } });
    await expect(sut.changePassword(signIn, '', 'Lantern-Maple-Voyage-7')).rejects.toMatchObject({ status: 401 });
    // A failed attempt is never marked succeeded: it counts.
    expect(attempts).toEqual([`reserved ${ADA.email}`, `reserved ${ADA.email}`]);
    await expect(sut.changePassword(signIn, 'current-one', 'weak')).rejects.toMatchObject({ status: 422, failure: { error: 'weak_password', message: 'Use a longer password.' } });
    clock.advance(10 * MINUTE);
    expect(await sut.changePassword(signIn, 'current-one', 'Lantern-Maple-Voyage-7')).toEqual({ ...signIn, epoch: 150 });
    expect(changed).toEqual([[ADA.id, ADA.email, 'Lantern-Maple-Voyage-7']]);
    clock.advance(1);
    await expect(sut.changePassword(signIn, 'current-one', 'x')).rejects.toMatchObject({ status: 403, failure: { error: 'recent_sign_in_required' } });
    await expect(sut.changePassword(undefined, 'current-one', 'x')).rejects.toMatchObject({ status: 401, failure: { error: 'not_signed_in' } });
  });

  it('says so when too many wrong passwords were given, and lets other failures through', async () => {
    for (const code of ['rate_limited', 'challenge_required'] as const) {
      const { sut, signIn, refuse } = service();
      refuse(new StepError(code, 'Too many failed sign-ins for this account.'));
      await expect(sut.changePassword(signIn, 'current-one', 'Lantern-Maple-Voyage-7')).rejects.toMatchObject({
        status: 429,
        failure: { error: 'rate_limited', message: 'Too many wrong passwords. Sign in again in a while, then try again.' },
      });
    }
    const { sut, signIn, refuse } = service();
    refuse(new StepError('unavailable', 'down'));
    await expect(sut.changePassword(signIn, 'current-one', 'Lantern-Maple-Voyage-7')).rejects.toBeInstanceOf(StepError);
    const broken = service();
    broken.refuse(new TypeError('bug'));
    await expect(broken.sut.changePassword(broken.signIn, 'current-one', 'Lantern-Maple-Voyage-7')).rejects.toThrow('bug');
  });

  it("lists the linked sign-ins by their providers' names, and unlinks one (never the last way in) within ten minutes of signing in", async () => {
    const { sut, signIn, identity, unlinks, clock } = service();
    expect(await sut.linkedSignIns(signIn)).toEqual([
      { ...identity, provider: 'Google' },
      { ...identity, provider: 'gone', subject: 'x-1' },
    ]);
    await expect(sut.linkedSignIns(undefined)).rejects.toMatchObject({ status: 401 });
    clock.advance(10 * MINUTE);
    expect(await sut.unlink(signIn, identity.issuer, 'g-1')).toEqual({ ...signIn, epoch: 160 });
    await expect(sut.unlink(signIn, identity.issuer, 'last')).rejects.toMatchObject({
      status: 409,
      failure: { error: 'last_way_in', message: 'This is your only way to sign in. Set a password first: sign in with “Forgot password?”.' },
    });
    await expect(sut.unlink(signIn, identity.issuer, 'other')).rejects.toMatchObject({ status: 404, failure: { error: 'not_found', message: 'That sign-in is not linked to your account.' } });
    clock.advance(1);
    await expect(sut.unlink(signIn, identity.issuer, 'g-1')).rejects.toMatchObject({ status: 403, failure: { error: 'recent_sign_in_required' } });
    expect(unlinks).toEqual([`${ADA.id} ${identity.issuer} g-1`, `${ADA.id} ${identity.issuer} last`, `${ADA.id} ${identity.issuer} other`]);
  });

  it('sets up an authenticator app: a new secret and its QR code, confirmed by the first code the app shows', async () => {
    const { sut, signIn, clock, authenticators } = service();
    const { accountId, setup } = await sut.beginAuthenticator(signIn);
    expect(accountId).toBe(ADA.id);
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.uri).toBe(`otpauth://totp/Target:ada%40example.com?issuer=Target&secret=${setup.secret}&algorithm=SHA1&digits=6&period=30`);
    expect(Buffer.from(setup.qr.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    await expect(sut.confirmAuthenticator(signIn, undefined, totpCode(setup.secret, clock.now()))).rejects.toMatchObject({ status: 409, failure: { message: 'That setup is over. Start it again.' } });
    await expect(sut.confirmAuthenticator(signIn, setup.secret, '000000')).rejects.toMatchObject({ status: 401, failure: { error: 'wrong_code' } });
    expect(authenticators).toEqual([]);
    expect(await sut.confirmAuthenticator(signIn, setup.secret, totpCode(setup.secret, clock.now()))).toEqual({ ...signIn, epoch: 170 });
    expect(authenticators).toEqual([setup.secret]);
  });

  it('sets up none where the account has one, or the directory keeps none (demo mode), or without a recent sign-in', async () => {
    await expect(service({ ...ADA, secondFactor: 'totp' }).sut.beginAuthenticator(service().signIn)).rejects.toMatchObject({ status: 409, failure: { error: 'invalid_request' } });
    const demo = service();
    Object.assign(demo.directory, { keepsAuthenticators: false });
    await expect(demo.sut.beginAuthenticator(demo.signIn)).rejects.toMatchObject({ status: 409, failure: { error: 'not_available' } });
    const late = service();
    late.clock.advance(10 * MINUTE + 1);
    await expect(late.sut.beginAuthenticator(late.signIn)).rejects.toMatchObject({ status: 403 });
    await expect(late.sut.confirmAuthenticator(late.signIn, 'SECRET', '123456')).rejects.toMatchObject({ status: 403 });
    await expect(late.sut.removeAuthenticator(late.signIn, '246810')).rejects.toMatchObject({ status: 403 });
  });

  it('removes the authenticator app with a code from it, and only where there is one', async () => {
    const { sut, signIn, authenticators } = service({ ...ADA, secondFactor: 'totp' });
    await expect(sut.removeAuthenticator(signIn, '111111')).rejects.toMatchObject({ status: 401, failure: { error: 'wrong_code' } });
    expect(await sut.removeAuthenticator(signIn, '246810')).toEqual({ ...signIn, epoch: 170 });
    expect(authenticators).toEqual([null]);
    await expect(service().sut.removeAuthenticator(signIn, '246810')).rejects.toMatchObject({ status: 409, failure: { message: 'Your account does not use an authenticator app.' } });
  });

  it('lists and adds household profiles (the name trimmed, 1 to 100 characters), not where the directory keeps none, nor twice, nor signed out', async () => {
    const { sut, signIn, directory } = service();
    const household = ['Sam'];
    const added: string[] = [];
    Object.assign(directory, {
      profiles: async (id: string) => (id === ADA.id ? household.map((name, i) => ({ id: `p${i}`, name })) : []),
      addProfile: async (id: string, name: string) => {
        added.push(`${id} ${name}`);
        if (name === 'Demo') return null;
        if (household.includes(name)) return 'duplicate';
        household.push(name);
        return household.map((entry, i) => ({ id: `p${i}`, name: entry }));
      },
    });
    expect(await sut.profileNames(signIn)).toEqual(['Sam']);
    expect(await sut.addProfile(signIn, '  Alex Home  ')).toEqual(['Sam', 'Alex Home']);
    expect(added).toEqual([`${ADA.id} Alex Home`]);
    for (const name of ['', '   ', 'x'.repeat(101)]) {
      await expect(sut.addProfile(signIn, name)).rejects.toMatchObject({ status: 400, failure: { error: 'invalid_request', message: 'Name the profile in 1 to 100 characters.' } });
    }
    expect(await sut.addProfile(signIn, 'é'.repeat(100))).toHaveLength(3);
    await expect(sut.addProfile(signIn, 'Sam')).rejects.toMatchObject({ status: 409, failure: { error: 'invalid_request', message: 'Your account already has a profile named Sam.' } });
    await expect(sut.addProfile(signIn, 'Demo')).rejects.toMatchObject({ status: 409, failure: { error: 'not_available' } });
    await expect(sut.addProfile(undefined, 'Kim')).rejects.toMatchObject({ status: 401 });
    await expect(sut.profileNames(undefined)).rejects.toMatchObject({ status: 401 });
  });

  it('signs out everywhere only within ten minutes of signing in', async () => {
    const { sut, signIn, ended, clock } = service();
    clock.advance(10 * MINUTE);
    await sut.signOutEverywhere(signIn);
    expect(ended).toEqual([ADA.id]);
    clock.advance(1);
    await expect(sut.signOutEverywhere(signIn)).rejects.toMatchObject({
      status: 403,
      failure: { error: 'recent_sign_in_required', message: 'For your security, sign in again to make this change.' },
    });
    await expect(sut.signOutEverywhere(undefined)).rejects.toMatchObject({ status: 401 });
    expect(ended).toEqual([ADA.id]);
  });
});
