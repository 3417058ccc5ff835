/**
 * The sign-in steps' rules that the happy paths do not reach: what each wrong
 * step says, resends (the cooldown, a race, a reset for an unknown e-mail,
 * a code that cannot be queued), the lockout policy (challenges, trusted
 * browsers, the day's ceiling), resets that ask for every factor, sign-ins
 * ended by a credentials change, authenticator-app and household accounts,
 * the hand-over to account linking, and what is logged and counted.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ProfileChoice, ProofOfWorkChallenge } from '@target-auth/shared/tools';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { type Account, AccountDirectory, type IdentityResolution, type UpstreamIdentity } from '../accounts/account-directory.js';
import { AccountLimits } from '../accounts/account-limits.js';
import { memoryLimiters } from '../common/limiters.js';
import type { QueuedCode } from '../accounts/mail-outbox.js';
import { MailedOneTimeCodes } from '../accounts/mailed-one-time-codes.js';
import { challengeWork, ProofOfWork } from '../accounts/proof-of-work.js';
import { KeyRing } from '../accounts/secret-key.js';
import { LIMITS } from '../accounts/sign-in-limits.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { FakeClock, testConfig } from '../testing/fakes.js';
import { spyLogs } from '../testing/logs.js';
import { MemorySessionStore } from './memory-session.store.js';
import { sessionUnits } from '../testing/sessions.js';
import { HOLDER, isOpened } from '../testing/records.js';
import { decodeSession, encodeSession } from './session.codec.js';
import type { SessionStore } from './session.store.js';
import { StepError } from './step-error.js';
import type { Claimed } from './upstream-hand-off.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const ADA: Account = { id: 'acct-ada', email: 'ada@example.com', name: 'Ada Lovelace', secondFactor: 'email', epoch: 0 };
const APP: Account = { id: 'acct-app', email: 'app@example.com', name: 'App User', secondFactor: 'totp', epoch: 0 };
const HOME: Account = { id: 'acct-home', email: 'home@example.com', name: 'Sam Home', secondFactor: 'email', epoch: 0 };
const KEYS = new KeyRing(Buffer.alloc(32, 3));
/** A browser's device secret (43 base64url characters). */
const PHONE = 'P'.repeat(43);
const HOUSEHOLD: ProfileChoice[] = [
  { id: 'p-sam', name: 'Sam Home' },
  { id: 'p-alex', name: 'Alex Home' },
];
const TOTP_CODE = '246810';

class Directory extends AccountDirectory {
  readonly totpChecks: string[] = [];
  /** Account id and device hash of each trusted browser. */
  readonly trusted = new Set<string>();
  readonly passwordsSet: { accountId: string; keepDevice: string | undefined }[] = [];
  failWith: Error | undefined;
  private readonly accounts = [ADA, APP, HOME].map((account) => ({ ...account }));
  async verifyCredentials(email: string, password: string) {
    if (this.failWith) throw this.failWith;
    return password === PASSWORD ? (this.accounts.find((account) => account.email === email) ?? null) : null;
  }
  async findForRecovery(email: string) {
    return this.accounts.find((account) => account.email === email) ?? null;
  }
  async findById(id: string) {
    return this.accounts.find((account) => account.id === id) ?? null;
  }
  /** A credentials change elsewhere (the CLI, another session): the epoch moves on. */
  changeCredentials(accountId: string): number {
    const account = this.accounts.find((candidate) => candidate.id === accountId)!;
    account.epoch += 1;
    return account.epoch;
  }
  async setPassword(accountId: string, _email: string, _password: string, keepDevice?: string) {
    this.passwordsSet.push({ accountId, keepDevice });
    return this.changeCredentials(accountId);
  }
  async addProfile() {
    return null;
  }
  async linkedIdentities() {
    return [];
  }
  async setAuthenticator() {
    return null;
  }
  async hasPassword() {
    return true;
  }
  async unlinkIdentity() {
    return { unlinked: false as const, reason: 'not_found' as const };
  }
  async endSignIns(accountId: string) {
    return this.changeCredentials(accountId);
  }
  async isTrustedDevice(email: string, deviceHash: string) {
    const account = this.accounts.find((candidate) => candidate.email === email);
    return account !== undefined && this.trusted.has(`${account.id} ${deviceHash}`);
  }
  async trustDevice(accountId: string, deviceHash: string) {
    this.trusted.add(`${accountId} ${deviceHash}`);
  }
  async profiles(accountId: string): Promise<ProfileChoice[]> {
    return accountId === HOME.id ? HOUSEHOLD : [];
  }
  async verifyTotp(accountId: string, code: string) {
    this.totpChecks.push(accountId);
    return accountId === APP.id && code === TOTP_CODE;
  }
  /** issuer and subject → account id. */
  readonly identities = new Map<string, string>();
  async resolveIdentity(identity: UpstreamIdentity, options: { signup: boolean }): Promise<IdentityResolution> {
    const linked = this.identities.get(`${identity.issuer} ${identity.subject}`);
    if (linked) return { kind: 'linked', account: (await this.findById(linked))! };
    if (!identity.email || !identity.emailVerified) return { kind: 'refused', message: 'Unverified.' };
    const existing = this.accounts.find((account) => account.email === identity.email);
    if (existing) return { kind: 'prove', account: existing };
    if (!options.signup) return { kind: 'refused', message: 'No Target account for this identity.' };
    const created = { id: `acct-${identity.subject}`, email: identity.email, name: identity.name ?? 'New', secondFactor: 'email' as const, epoch: 0 };
    this.accounts.push(created);
    this.identities.set(`${identity.issuer} ${identity.subject}`, created.id);
    return { kind: 'created', account: created };
  }
  async linkIdentity(accountId: string, identity: UpstreamIdentity) {
    const key = `${identity.issuer} ${identity.subject}`;
    if (this.identities.has(key)) return false;
    this.identities.set(key, accountId);
    return true;
  }
}

/** An outbox whose writes the test settles: each `enqueue` waits until released or failed. */
class HeldOutbox {
  readonly mails: QueuedCode[] = [];
  private pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  hold = false;
  failNext: Error | undefined;
  enqueue(mail: QueuedCode): Promise<void> {
    this.mails.push(mail);
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      return Promise.reject(error);
    }
    if (!this.hold) return Promise.resolve();
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  release(error?: Error) {
    const next = this.pending.shift()!;
    if (error) next.reject(error);
    else next.resolve();
  }
}

function setup() {
  const clock = new FakeClock();
  const store = new MemorySessionStore(clock, { maxSessions: 100, retentionMs: 600_000, sweepEveryMs: 1000 });
  const directory = new Directory();
  const mailer = new HeldOutbox();
  const metrics = new MetricsService();
  const limits = new AccountLimits(Buffer.alloc(32, 2));
  const { service: sut, upstream, handOff, passkey } = sessionUnits({
    store,
    clock,
    config: testConfig({ SESSION_TTL_MS: '3600000', CODE_TTL_MS: '600000' }),
    directory,
    codes: new MailedOneTimeCodes(Buffer.alloc(32, 1), mailer),
    limits,
    proofOfWork: new ProofOfWork('secret', memoryLimiters),
    keys: KEYS,
    metrics,
  });
  const started = async (account?: Account, options: { interaction?: string; device?: string } = {}) => {
    const { sessionId } = await sut.create(options);
    if (account) await sut.submitCredentials(sessionId, account.email, PASSWORD, { device: options.device });
    return sessionId;
  };
  /** A session signed in as `account` (mailed code), opened for `interaction` if given. */
  const signedIn = async (account: Account, options: { interaction?: string; device?: string } = {}) => {
    const sessionId = await started(account, options);
    await sut.verifyCode(sessionId, mailer.mails.at(-1)!.code);
    return sessionId;
  };
  return { sut, upstream, handOff, passkey, clock, store, directory, mailer, metrics, limits, started, signedIn };
}

/** A claim that went on to a provider (the test fails if it did not). */
function toProvider(claimed: Claimed): Extract<Claimed, { to: 'provider' }> {
  if (claimed.to !== 'provider') throw new Error(`The claim went to ${claimed.to}`);
  return claimed;
}

/** A claim that went on to the passkey page: its pass. */
function passOf(claimed: Claimed): string {
  if (claimed.to !== 'passkey') throw new Error(`The claim went to ${claimed.to}`);
  return claimed.pass;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; details: StepError['details'] }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof StepError)) throw new Error(`expected a StepError, got ${String(error)}`);
  return { code: error.code, message: error.message, details: error.details };
}

/** The `altcha` payload a browser sends once it has solved `challenge`. */
async function solve(challenge: ProofOfWorkChallenge): Promise<string> {
  const solution = await solveChallenge({ challenge: challenge as unknown as Challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

afterEach(() => void jest.restoreAllMocks());

describe('SessionService: each step asked out of turn says what to do', () => {
  it('names the step the session is at', async () => {
    const { sut, clock, mailer, started } = setup();
    const atCredentials = await started();
    expect(await refusal(sut.resendCode(atCredentials))).toEqual({ code: 'wrong_step', message: 'Enter your email and password first.', details: {} });

    const atVerify = await started(ADA);
    expect(await refusal(sut.submitCredentials(atVerify, ADA.email, PASSWORD))).toMatchObject({ code: 'wrong_step', message: 'A code was sent: enter the 6-digit code.' });
    await sut.verifyCode(atVerify, mailer.mails.at(-1)!.code);
    expect(await refusal(sut.verifyCode(atVerify, '123456'))).toEqual({ code: 'wrong_step', message: 'This session is already signed in.', details: {} });

    const atProfile = await started(HOME);
    await sut.verifyCode(atProfile, mailer.mails.at(-1)!.code);
    expect(await refusal(sut.submitCredentials(atProfile, HOME.email, PASSWORD))).toEqual({ code: 'wrong_step', message: 'Choose who is signing in.', details: {} });

    const atNewPassword = await started();
    clock.advance(1);
    await sut.startPasswordReset(atNewPassword, ADA.email);
    await sut.verifyCode(atNewPassword, mailer.mails.at(-1)!.code);
    expect(await sut.view(atNewPassword)).toEqual({ state: 'pending', step: 'new-password' });
    expect(await refusal(sut.submitCredentials(atNewPassword, ADA.email, PASSWORD))).toEqual({ code: 'wrong_step', message: 'Choose a new password.', details: {} });
  });
});

describe('SessionService: one read of the record per step', () => {
  /** Counts the store's reads: `read`/`get` calls, and transitions not given the read they start from. */
  function countReads(store: SessionStore): { during(step: () => Promise<unknown>): Promise<number> } {
    let reads = 0;
    const read = store.read.bind(store);
    const get = store.get.bind(store);
    const transition = store.transition.bind(store);
    jest.spyOn(store, 'read').mockImplementation((id) => (reads++, read(id)));
    jest.spyOn(store, 'get').mockImplementation((id) => (reads++, get(id)));
    jest.spyOn(store, 'transition').mockImplementation((id, decide, from) => {
      if (from === undefined) reads++;
      return transition(id, decide, from);
    });
    return {
      async during(step) {
        const before = reads;
        await step().catch((error: unknown) => {
          if (!(error instanceof StepError)) throw error;
        });
        return reads - before;
      },
    };
  }

  it('reads once in every step, signing in, resetting and handing over', async () => {
    const { sut, clock, store, mailer, started } = setup();
    const reads = countReads(store);
    const code = () => mailer.mails.at(-1)!.code;

    const mailed = (await sut.create({ interaction: 'uid-1' })).sessionId;
    const signingIn: [string, () => Promise<unknown>][] = [
      ['view', () => sut.view(mailed)],
      ['open', () => sut.open(mailed)],
      ['credentials', () => sut.submitCredentials(mailed, ADA.email, PASSWORD)],
      ['wrong code', () => sut.verifyCode(mailed, code() === '000000' ? '000001' : '000000')],
      ['resend', () => (clock.advance(60_000), sut.resendCode(mailed))],
      ['right code', () => sut.verifyCode(mailed, code())],
      ['hand-over', () => sut.handOver(mailed, 'uid-1')],
    ];
    const app = await started();
    const household = await started(HOME);
    const householdCode = code();
    const withApp: [string, () => Promise<unknown>][] = [
      ['credentials (authenticator)', () => sut.submitCredentials(app, APP.email, PASSWORD)],
      ['authenticator code', () => sut.verifyCode(app, TOTP_CODE)],
      ['household code', () => sut.verifyCode(household, householdCode)],
      ['profile', () => sut.selectProfile(household, HOUSEHOLD[1]!.id)],
    ];
    const reset = await started();
    const resetApp = await started();
    const resetting: [string, () => Promise<unknown>][] = [
      ['reset', () => sut.startPasswordReset(reset, ADA.email)],
      ['reset code', () => sut.verifyCode(reset, code())],
      ['new password', () => sut.setPassword(reset, 'Another-Long-Password-42')],
      ['reset (authenticator account)', () => sut.startPasswordReset(resetApp, APP.email)],
      ['reset code (authenticator account)', () => sut.verifyCode(resetApp, code())],
      ['reset authenticator code', () => sut.verifyCode(resetApp, TOTP_CODE)],
    ];
    const counted: [string, number][] = [];
    for (const [name, step] of [...signingIn, ...withApp, ...resetting]) counted.push([name, await reads.during(step)]);
    expect(counted).toEqual([...signingIn, ...withApp, ...resetting].map(([name]) => [name, 1]));
    expect(await sut.view(mailed)).toEqual({ state: 'expired' });
    expect(await sut.view(reset)).toMatchObject({ state: 'authenticated', email: ADA.email });
    expect(await sut.view(household)).toMatchObject({ state: 'authenticated', profile: HOUSEHOLD[1]!.name });
    expect(await sut.view(resetApp)).toEqual({ state: 'pending', step: 'new-password' });
  });
});

describe('SessionService: opening the form', () => {
  it('marks a session at credentials as opened, once, and leaves any other as it is', async () => {
    const { sut, clock, store, started } = setup();
    // Whether each decision wrote a new record.
    const writes: boolean[] = [];
    const transition = store.transition.bind(store);
    jest.spyOn(store, 'transition').mockImplementation((id, decide) =>
      transition(id, (record) => {
        const decided = decide(record);
        writes.push(decided.next !== undefined);
        return decided;
      }),
    );
    const fresh = await started();
    expect(await sut.open(fresh)).toEqual({ state: 'pending', step: 'credentials' });
    expect(isOpened(await store.get(fresh))).toBe(true);
    await sut.open(fresh);
    // The second open reads the session opened already: no transition at all.
    expect(writes).toEqual([true]);
    expect(isOpened(await store.get(fresh))).toBe(true);

    const atVerify = await started(ADA);
    writes.length = 0;
    await sut.open(atVerify);
    expect(writes).toEqual([]);

    const expired = await started();
    clock.advance(3_600_000);
    expect(await sut.open(expired)).toEqual({ state: 'expired' });
    expect(isOpened(await store.get(expired))).toBe(false);
  });
});

describe('SessionService: resending a code', () => {
  it('says how long to wait, and sends one code when two resends race', async () => {
    const { sut, clock, mailer, started } = setup();
    const sessionId = await started(ADA);
    clock.advance(10_000);
    expect(await refusal(sut.resendCode(sessionId))).toEqual({
      code: 'rate_limited',
      message: 'A code was just sent. Try again in 20 seconds.',
      details: { retryAfterSeconds: 20 },
    });
    clock.advance(20_000);
    const outcomes = await Promise.allSettled([sut.resendCode(sessionId), sut.resendCode(sessionId)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = outcomes.find((outcome) => outcome.status === 'rejected')!;
    expect(loser.reason).toMatchObject({ code: 'rate_limited', message: 'A code was just sent. Try again in 30 seconds.' });
    expect(mailer.mails).toHaveLength(2);
  });

  it('after a reset for an unknown e-mail, answers and queues exactly as for a real account (the outbox drops it), and no code opens it', async () => {
    const { sut, clock, mailer, started } = setup();
    const known = await started();
    const unknown = await started();
    const answers = [await sut.startPasswordReset(known, ADA.email), await sut.startPasswordReset(unknown, 'NoBody@example.com')];
    expect(answers).toEqual([
      { step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'a•••@example.com' } },
      { step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'N•••@example.com' } },
    ]);
    expect(await sut.view(unknown)).toEqual({ state: 'pending', step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'N•••@example.com' } });
    clock.advance(30_000);
    expect(await sut.resendCode(unknown)).toEqual({ step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'N•••@example.com' } });
    expect(await refusal(sut.resendCode(unknown))).toMatchObject({ code: 'rate_limited' });
    expect(mailer.mails.map((mail) => [mail.email, mail.purpose])).toEqual([
      [ADA.email, 'reset'],
      ['NoBody@example.com', 'reset'],
      ['NoBody@example.com', 'reset'],
    ]);
    // Even the very code queued for it does not open a session of no account.
    expect(await refusal(sut.verifyCode(unknown, mailer.mails.at(-1)!.code))).toMatchObject({ code: 'wrong_code' });
  });

  it('masks the address as typed, in whatever case, for a stored account too', async () => {
    const { sut, started } = setup();
    expect(await sut.startPasswordReset(await started(), 'ADA@example.com')).toMatchObject({ delivery: { method: 'email', sentTo: 'A•••@example.com' } });
  });

  it('a resend whose code cannot be queued says "unavailable", keeps the code step and logs the kind', async () => {
    const errors = spyLogs('error');
    const { sut, clock, mailer, started } = setup();
    const sessionId = await started(ADA);
    clock.advance(30_000);
    mailer.failNext = new Error('connection terminated');
    expect(await refusal(sut.resendCode(sessionId))).toEqual({ code: 'unavailable', message: "We couldn't send your code. Try again in a moment.", details: {} });
    expect(await sut.view(sessionId)).toMatchObject({ state: 'pending', step: 'verify' });
    expect(mailer.mails.at(-1)).toMatchObject({ email: ADA.email, purpose: 'sign-in' });
    expect(errors()).toEqual(['Sessions: Code not queued: Error']);
  });
});

describe('SessionService: a delivery that fails after the session moved on', () => {
  it('does not undo a sign-in that used the code while its mail was still being sent', async () => {
    const errors = spyLogs('error');
    const { sut, mailer, started } = setup();
    const sessionId = await started();
    mailer.hold = true;
    const sending = sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(sut.verifyCode(sessionId, mailer.mails[0]!.code)).resolves.toMatchObject({ authenticated: true });
    mailer.release(new Error('timeout after DATA'));
    expect(await refusal(sending)).toMatchObject({ code: 'unavailable' });
    expect(await sut.view(sessionId)).toMatchObject({ state: 'authenticated', email: ADA.email });
    expect(errors()).toEqual(['Sessions: Code not queued: Error']);
  });

  it('does not undo a newer code: only the step its own code started', async () => {
    const errors = spyLogs('error');
    const { sut, clock, mailer, started } = setup();
    const sessionId = await started();
    mailer.hold = true;
    const first = sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(30_000);
    const resent = sut.resendCode(sessionId);
    await new Promise((resolve) => setImmediate(resolve));
    mailer.release(new Error('first mail lost'));
    mailer.release();
    expect(await refusal(first)).toMatchObject({ code: 'unavailable' });
    await resent;
    expect(await sut.view(sessionId)).toMatchObject({ state: 'pending', step: 'verify' });
    await expect(sut.verifyCode(sessionId, mailer.mails[1]!.code)).resolves.toMatchObject({ authenticated: true });
    expect(errors()).toEqual(['Sessions: Code not queued: Error']);
  });

  it('does not undo a session that was moved back to credentials and on again', async () => {
    const errors = spyLogs('error');
    const { sut, store, mailer, started } = setup();
    const sessionId = await started();
    mailer.hold = true;
    const sending = sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    await new Promise((resolve) => setImmediate(resolve));
    // Meanwhile the session is at another step with the same code check (as a restored record could be).
    const held = (await store.get(sessionId))!;
    await store.transition(sessionId, () => ({ next: { step: 'new-password', expiresAt: held.expiresAt, account: HOLDER }, result: null }));
    mailer.release(new Error('lost'));
    await refusal(sending);
    expect((await store.get(sessionId))?.step).toBe('new-password');
    expect(errors()).toEqual(['Sessions: Code not queued: Error']);
  });

  it('a reset whose code cannot be queued says "unavailable", goes back to credentials, and logs the kind only, never the address', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { sut, mailer, started } = setup();
    const sessionId = await started();
    mailer.failNext = Object.assign(new Error('insert into mail_outbox: ada@example.com'), { code: '57P01' });
    expect(await refusal(sut.startPasswordReset(sessionId, ADA.email))).toMatchObject({ code: 'unavailable' });
    expect(await sut.view(sessionId)).toEqual({ state: 'pending', step: 'credentials' });
    expect(logged.mock.calls).toEqual([['Code not queued: Error (57P01)']]);
    expect((logged.mock.contexts[0] as { context: string }).context).toBe('Sessions');
  });

  it('logs a delivery that failed with something other than an Error as unknown, and one without a code by its name', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { sut, mailer, started } = setup();
    mailer.failNext = 'connection reset' as unknown as Error;
    await refusal(sut.submitCredentials(await started(), ADA.email, PASSWORD));
    mailer.failNext = new TypeError('bad');
    await refusal(sut.submitCredentials(await started(), ADA.email, PASSWORD));
    mailer.failNext = Object.assign(new Error('x'), { code: 42 });
    await refusal(sut.submitCredentials(await started(), ADA.email, PASSWORD));
    expect(logged.mock.calls).toEqual([['Code not queued: unknown error'], ['Code not queued: TypeError'], ['Code not queued: Error']]);
  });
});

describe('SessionService: the limits say why', () => {
  it('names a blocked password step, the challenge, too many sends, wrong codes and expired codes', async () => {
    const { sut, clock, mailer, started } = setup();
    const sessionId = await started();
    for (let i = 0; i < 2; i++) await refusal(sut.submitCredentials(sessionId, ADA.email, 'wrong'));
    expect(await refusal(sut.submitCredentials(sessionId, ADA.email, 'wrong'))).toEqual({ code: 'invalid_credentials', message: 'Email or password is incorrect.', details: {} });
    const challenged = await refusal(sut.submitCredentials(sessionId, ADA.email, 'wrong'));
    expect(challenged).toMatchObject({ code: 'challenge_required', message: 'Checking your browser…' });
    expect(challenged.details.challenge).toBeDefined();

    const other = await started(HOME);
    expect(await refusal(sut.verifyCode(other, '000000'))).toEqual({ code: 'wrong_code', message: 'That code is not right. 4 attempts left.', details: { attemptsLeft: 4 } });
    for (let i = 0; i < 3; i++) await refusal(sut.verifyCode(other, '000000'));
    expect(await refusal(sut.verifyCode(other, '000000'))).toEqual({ code: 'locked', message: 'Too many wrong codes. This sign-in is locked: start a new sign-in.', details: { attemptsLeft: 0 } });

    const late = await started(HOME);
    clock.advance(600_000);
    expect(await refusal(sut.verifyCode(late, mailer.mails.at(-1)!.code))).toEqual({ code: 'code_expired', message: 'This code has expired. Send a new one.', details: {} });
  });

  it('says "1 attempt left" in the singular', async () => {
    const { sut, started } = setup();
    const sessionId = await started(ADA);
    for (let i = 0; i < 3; i++) await refusal(sut.verifyCode(sessionId, '000000'));
    expect((await refusal(sut.verifyCode(sessionId, '000000'))).message).toBe('That code is not right. 1 attempt left.');
  });

  it('never refuses the right password for strangers\' failures: each one beyond the 5th asks for more work, until the day\'s ceiling', async () => {
    const { sut, started } = setup();
    const sessionId = await started();
    const attempt = (password: string, altcha?: string) => sut.submitCredentials(sessionId, ADA.email, password, { altcha });
    for (let i = 0; i < LIMITS.challengeAfterFailures; i++) expect(await refusal(attempt('wrong'))).toMatchObject({ code: 'invalid_credentials' });
    // After three failures a challenge is asked first; an unsolved one never counts as a try.
    const works: number[] = [];
    const solvedTry = async (password: string) => {
      const asked = await refusal(attempt(password));
      expect(asked.code).toBe('challenge_required');
      const altcha = await solve(asked.details.challenge as ProofOfWorkChallenge);
      works.push((JSON.parse(Buffer.from(altcha, 'base64').toString()) as { solution: { counter: number } }).solution.counter);
      return attempt(password, altcha);
    };
    for (let failures = LIMITS.challengeAfterFailures; failures < 9; failures++) expect(await refusal(solvedTry('wrong'))).toMatchObject({ code: 'invalid_credentials' });
    // Failures 3 to 5 cost the base work; 6, 7 and 8 each cost more than the one before.
    expect(works.slice(3).every((work, i) => work > works[i + 2]! || i === 0)).toBe(true);
    expect(works.at(-1)).toBeGreaterThanOrEqual(Math.floor(challengeWork(8) * 0.9));
    // The right password, with the work due, is let in: strangers never shut the owner out below the ceiling.
    await expect(solvedTry(PASSWORD)).resolves.toMatchObject({ step: 'verify' });
  });

  it('refuses even the right password from an untrusted browser after 100 failures in a day, saying for how long, but not a trusted one', async () => {
    const { sut, limits, started, signedIn } = setup();
    await signedIn(ADA, { device: PHONE });
    // The ceiling is the limiter's: reach it directly, as 100 solved guesses would.
    for (let i = 0; i < LIMITS.untrustedFailuresPerDay; i++) expect('attempt' in (await limits.reserveUntrustedAttempt(ADA.email))).toBe(true);
    expect(await refusal(sut.submitCredentials(await started(), ADA.email, PASSWORD))).toEqual({
      code: 'rate_limited',
      message: 'Too many failed sign-ins for this account. Try again in 1440 minutes.',
      details: { retryAfterSeconds: 86_400 },
    });
    await expect(sut.submitCredentials(await started(), ADA.email, PASSWORD, { device: PHONE })).resolves.toMatchObject({ step: 'verify' });
  });

  it('lets a browser that signed in before in at once, whatever strangers did, and trusts it only for its account', async () => {
    const { sut, directory, started, signedIn } = setup();
    await signedIn(ADA, { device: PHONE });
    expect(directory.trusted).toEqual(new Set([`${ADA.id} ${KEYS.deviceHash(PHONE)}`]));
    const stranger = await started();
    for (let i = 0; i < 30; i++) await refusal(sut.submitCredentials(stranger, ADA.email, 'wrong'));
    expect(await refusal(sut.submitCredentials(stranger, ADA.email, PASSWORD))).toMatchObject({ code: 'challenge_required' });
    const phone = await started();
    await expect(sut.submitCredentials(phone, ADA.email, PASSWORD, { device: PHONE })).resolves.toMatchObject({ step: 'verify' });
    // The same browser is a stranger to another account.
    const other = await started();
    for (let i = 0; i < 5; i++) await refusal(sut.submitCredentials(other, HOME.email, 'wrong', { device: PHONE }));
    expect(await refusal(sut.submitCredentials(other, HOME.email, PASSWORD, { device: PHONE }))).toMatchObject({ code: 'challenge_required' });
  });

  it('treats a trusted browser that failed 5 times in 15 minutes like any other', async () => {
    const { sut, started, signedIn } = setup();
    await signedIn(ADA, { device: PHONE });
    const stranger = await started();
    for (let i = 0; i < 10; i++) await refusal(sut.submitCredentials(stranger, ADA.email, 'wrong'));
    const phone = await started();
    for (let i = 0; i < LIMITS.deviceFailures; i++) expect(await refusal(sut.submitCredentials(phone, ADA.email, 'wrong', { device: PHONE }))).toMatchObject({ code: 'invalid_credentials' });
    expect(await refusal(sut.submitCredentials(phone, ADA.email, PASSWORD, { device: PHONE }))).toMatchObject({ code: 'challenge_required' });
  });

  it('locks the code step of an account across sessions, and says so', async () => {
    const { sut, started } = setup();
    for (let round = 0; round < 2; round++) {
      const sessionId = await started(ADA);
      for (let i = 0; i < 4; i++) await refusal(sut.verifyCode(sessionId, '000000'));
    }
    const third = await started(ADA);
    await refusal(sut.verifyCode(third, '000000'));
    // The tenth wrong code takes the hour's last check, and says so.
    expect(await refusal(sut.verifyCode(third, '000000'))).toEqual({
      code: 'rate_limited',
      message: 'Too many wrong codes for this account. Try again in 60 minutes.',
      details: { retryAfterSeconds: 3600 },
    });
    expect(await refusal(sut.verifyCode(third, '000000'))).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/^Too many wrong codes for this account\./) });
  });

  it('says too many codes were sent to the address', async () => {
    const { sut, clock, started } = setup();
    const sessionId = await started(ADA);
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      await sut.resendCode(sessionId);
    }
    clock.advance(30_000);
    expect(await refusal(sut.resendCode(sessionId))).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/^Too many codes were sent to this address\. Try again in/) });
  });
});

describe('SessionService: authenticator app and household accounts', () => {
  it('asks for the app code, never mails one, checks it only for such an account, and refuses a resend', async () => {
    const { sut, directory, mailer, started } = setup();
    const sessionId = await started();
    expect(await sut.submitCredentials(sessionId, APP.email, PASSWORD)).toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } });
    expect(await sut.view(sessionId)).toEqual({ state: 'pending', step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } });
    expect(await refusal(sut.resendCode(sessionId))).toEqual({ code: 'wrong_step', message: 'Enter the code from your authenticator app.', details: {} });
    await expect(sut.verifyCode(sessionId, TOTP_CODE)).resolves.toMatchObject({ authenticated: true, name: APP.name });
    expect(mailer.mails).toEqual([]);

    const mailed = await started(ADA);
    directory.totpChecks.length = 0;
    await sut.verifyCode(mailed, mailer.mails[0]!.code);
    expect(directory.totpChecks).toEqual([]);
  });

  it('shows a household its profiles, and takes only one of them', async () => {
    const { sut, mailer, started } = setup();
    const sessionId = await started(HOME);
    expect(await sut.verifyCode(sessionId, mailer.mails[0]!.code)).toEqual({ authenticated: false, step: 'profile', profiles: HOUSEHOLD });
    expect(await sut.view(sessionId)).toEqual({ state: 'pending', step: 'profile', profiles: HOUSEHOLD });
    expect(await refusal(sut.selectProfile(sessionId, 'p-other'))).toEqual({ code: 'invalid_input', message: 'Choose one of the profiles shown.', details: {} });
    expect(await sut.selectProfile(sessionId, 'p-alex')).toEqual({ authenticated: true, name: HOME.name, email: HOME.email, profile: 'Alex Home' });
  });
});

describe('SessionService: handing over to account linking', () => {
  it('hands over a session signed in for this interaction, once, with its epoch', async () => {
    const { sut, signedIn } = setup();
    const sessionId = await signedIn(ADA, { interaction: 'uid-1' });
    expect(await sut.handOver(sessionId, 'uid-1')).toEqual({ accountId: ADA.id, profile: null, epoch: 0 });
    expect(await sut.handOver(sessionId, 'uid-1')).toBeNull();
    expect(await sut.view(sessionId)).toEqual({ state: 'expired' });
  });

  it('refuses, leaving it as it was, a session signed in in a chat, for another interaction, or under credentials changed since', async () => {
    const { sut, store, directory, signedIn } = setup();
    const chat = await signedIn(ADA);
    const other = await signedIn(ADA, { interaction: 'uid-other' });
    const stale = await signedIn(HOME, { interaction: 'uid-1' });
    await sut.selectProfile(stale, 'p-sam');
    directory.changeCredentials(HOME.id);
    for (const sessionId of [chat, other, stale]) {
      const before = await store.get(sessionId);
      expect(await sut.handOver(sessionId, 'uid-1')).toBeNull();
      expect(await store.get(sessionId)).toEqual(before);
    }
    expect(await sut.view(chat)).toMatchObject({ state: 'authenticated' });
    expect(await sut.view(other)).toMatchObject({ state: 'authenticated' });
  });

  it('never hands over a signed-in record stored without an epoch (as a release before wrote it)', async () => {
    const { sut, store } = setup();
    const older = decodeSession(`{"f":1,"x":${Date.now() + 60_000},"s":"authenticated","a":"${ADA.id}","e":"${ADA.email}","m":"${ADA.name}","i":"uid-1"}`);
    await store.insert('sess_AAAAAAAAAAAAAAAAAAAAAAAA', older);
    expect(await sut.handOver('sess_AAAAAAAAAAAAAAAAAAAAAAAA', 'uid-1')).toBeNull();
    expect(await sut.view('sess_AAAAAAAAAAAAAAAAAAAAAAAA')).toEqual({ state: 'expired' });
  });

});

describe('SessionService: a new password ends what the old one opened', () => {
  it('ends signed-in sessions of the account at once, and a session waiting for its profile', async () => {
    const { sut, directory, signedIn } = setup();
    const ada = await signedIn(ADA);
    const home = await signedIn(HOME);
    const other = await signedIn(HOME);
    expect(await sut.view(ada)).toMatchObject({ state: 'authenticated' });
    directory.changeCredentials(ADA.id);
    directory.changeCredentials(HOME.id);
    expect(await sut.view(ada)).toEqual({ state: 'expired' });
    expect(await refusal(sut.selectProfile(home, 'p-sam'))).toEqual({ code: 'expired', message: 'Your session has expired. Please sign in again.', details: {} });
    expect(await refusal(sut.selectProfile(other, 'p-sam'))).toMatchObject({ code: 'expired' });
  });

  it('a reset ends the other sessions but signs in its own, under the new epoch, keeping only its browser trusted', async () => {
    const { sut, directory, mailer, started, signedIn } = setup();
    const elsewhere = await signedIn(ADA);
    const resetting = await started();
    await sut.startPasswordReset(resetting, ADA.email, PHONE);
    expect(await sut.verifyCode(resetting, mailer.mails.at(-1)!.code)).toEqual({ authenticated: false, step: 'new-password' });
    expect(await sut.setPassword(resetting, 'Lantern-Maple-Voyage-7')).toEqual({ authenticated: true, name: ADA.name, email: ADA.email });
    expect(directory.passwordsSet).toEqual([{ accountId: ADA.id, keepDevice: KEYS.deviceHash(PHONE) }]);
    expect(await sut.view(elsewhere)).toEqual({ state: 'expired' });
    expect(await sut.view(resetting)).toMatchObject({ state: 'authenticated', email: ADA.email });
    expect(directory.trusted.has(`${ADA.id} ${KEYS.deviceHash(PHONE)}`)).toBe(true);
  });
});

describe('SessionService: a reset asks for every factor', () => {
  it('asks an account with an authenticator app for its code after the mailed one, then a new password', async () => {
    const { sut, directory, mailer, started } = setup();
    const sessionId = await started();
    await sut.startPasswordReset(sessionId, APP.email);
    expect(await sut.verifyCode(sessionId, mailer.mails.at(-1)!.code)).toEqual({ authenticated: false, step: 'verify', purpose: 'reset', delivery: { method: 'totp' } });
    expect(await sut.view(sessionId)).toEqual({ state: 'pending', step: 'verify', purpose: 'reset', delivery: { method: 'totp' } });
    // The mailbox alone sets nothing: no new password, no sign-in, no other code by mail.
    expect(await refusal(sut.setPassword(sessionId, 'Lantern-Maple-Voyage-7'))).toMatchObject({ code: 'wrong_step', message: 'A code was sent: enter the 6-digit code.' });
    expect(await refusal(sut.resendCode(sessionId))).toMatchObject({ code: 'wrong_step', message: 'Enter the code from your authenticator app.' });
    expect(await refusal(sut.verifyCode(sessionId, mailer.mails.at(-1)!.code))).toMatchObject({ code: 'wrong_code', details: { attemptsLeft: 4 } });
    expect(directory.passwordsSet).toEqual([]);
    expect(await sut.verifyCode(sessionId, TOTP_CODE)).toEqual({ authenticated: false, step: 'new-password' });
    expect(await sut.setPassword(sessionId, 'Lantern-Maple-Voyage-7')).toEqual({ authenticated: true, name: APP.name, email: APP.email });
  });

  it('locks a reset whose authenticator codes are wrong five times, mailbox or not', async () => {
    const { sut, mailer, started } = setup();
    const sessionId = await started();
    await sut.startPasswordReset(sessionId, APP.email);
    await sut.verifyCode(sessionId, mailer.mails.at(-1)!.code);
    for (let i = 0; i < 4; i++) await refusal(sut.verifyCode(sessionId, '000000'));
    expect(await refusal(sut.verifyCode(sessionId, '000000'))).toMatchObject({ code: 'locked' });
    expect(await refusal(sut.verifyCode(sessionId, TOTP_CODE))).toMatchObject({ code: 'locked' });
  });

  it("counts a stranger's wrong reset codes apart: the owner's sign-in code still works", async () => {
    const { sut, mailer, started } = setup();
    for (let round = 0; round < 3; round++) {
      const stranger = await started();
      await sut.startPasswordReset(stranger, ADA.email);
      for (let i = 0; i < 4; i++) await refusal(sut.verifyCode(stranger, '000000'));
    }
    const owner = await started(ADA);
    await expect(sut.verifyCode(owner, mailer.mails.at(-1)!.code)).resolves.toMatchObject({ authenticated: true });
  });
});

describe('SessionService: what is counted', () => {
  it('counts a step that failed unexpectedly as an error, and passes the failure on', async () => {
    const { sut, directory, metrics, started } = setup();
    directory.failWith = new Error('database gone');
    await expect(sut.submitCredentials(await started(), ADA.email, PASSWORD)).rejects.toThrow('database gone');
    const counted = await metrics.credentials.get();
    expect(counted.values).toEqual([{ value: 1, labels: { outcome: 'error' } }]);
  });
});


describe('SessionService: signing in with an upstream provider', () => {
  const GOOGLE = 'https://accounts.google.com';
  const identity = (fields: Partial<UpstreamIdentity> = {}): UpstreamIdentity => ({
    provider: 'google',
    issuer: GOOGLE,
    subject: 'g-1',
    email: 'new@example.com',
    emailVerified: true,
    name: 'New Person',
    ...fields,
  });
  /** Begins at `provider` and comes back with `who`, as the callback would. */
  async function viaProvider(made: ReturnType<typeof setup>, sessionId: string, who: UpstreamIdentity, options: { interaction?: string } = {}) {
    const { attempt, browserSecret } = await made.upstream.begin(sessionId, 'google', options.interaction);
    expect(await made.sut.view(sessionId)).toEqual({ state: 'pending', step: 'upstream' });
    return made.upstream.finish(attempt.state, 'google', browserSecret, async (checked) => {
      expect(checked).toEqual(attempt);
      return who;
    });
  }

  it('makes an account for a verified e-mail nobody has and signs in; the same identity signs in to it again', async () => {
    const made = setup();
    const first = await made.started();
    expect(await viaProvider(made, first, identity())).toEqual({ sessionId: first, answer: { authenticated: true, name: 'New Person', email: 'new@example.com' } });
    expect(await made.sut.view(first)).toMatchObject({ state: 'authenticated', email: 'new@example.com' });
    const again = await made.started();
    expect((await viaProvider(made, again, identity({ email: 'changed@example.com' }))).answer).toMatchObject({ authenticated: true, email: 'new@example.com' });
  });

  it('never signs in to an account by e-mail alone: its mailed code, then its authenticator, prove it before the identity is linked', async () => {
    const made = setup();
    const sessionId = await made.started();
    const finished = await viaProvider(made, sessionId, identity({ email: APP.email, subject: 'g-app' }));
    expect(finished.answer).toEqual({ step: 'verify', purpose: 'link', delivery: { method: 'email', sentTo: 'a•••@example.com' } });
    expect(made.mailer.mails.at(-1)).toMatchObject({ email: APP.email, purpose: 'link' });
    expect(made.directory.identities.size).toBe(0);
    expect(await made.sut.verifyCode(sessionId, made.mailer.mails.at(-1)!.code)).toEqual({ authenticated: false, step: 'verify', purpose: 'link', delivery: { method: 'totp' } });
    expect(made.directory.identities.size).toBe(0);
    expect(await made.sut.verifyCode(sessionId, TOTP_CODE)).toMatchObject({ authenticated: true, email: APP.email });
    expect([...made.directory.identities]).toEqual([[`${GOOGLE} g-app`, APP.id]]);
    // Linked: the next sign-in with it needs no mailed code, but the authenticator still.
    const next = await made.started();
    expect((await viaProvider(made, next, identity({ email: APP.email, subject: 'g-app' }))).answer).toEqual({ step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } });
  });

  it('links nothing when the account is not proven, and a household still picks its profile', async () => {
    const made = setup();
    const wrong = await made.started();
    await viaProvider(made, wrong, identity({ email: ADA.email, subject: 'g-ada' }));
    await expect(made.sut.verifyCode(wrong, '000000')).rejects.toThrow(/That code is not right/);
    expect(made.directory.identities.size).toBe(0);
    const home = await made.started();
    await viaProvider(made, home, identity({ email: HOME.email, subject: 'g-home' }));
    expect(await made.sut.verifyCode(home, made.mailer.mails.at(-1)!.code)).toEqual({ authenticated: false, step: 'profile', profiles: HOUSEHOLD });
    expect(made.directory.identities.get(`${GOOGLE} g-home`)).toBe(HOME.id);
  });

  it('refuses an unverified e-mail, leaving the session at credentials and mailing nothing', async () => {
    const made = setup();
    const sessionId = await made.started();
    await expect(viaProvider(made, sessionId, identity({ email: ADA.email, emailVerified: false }))).rejects.toMatchObject({
      name: 'UpstreamFailed',
      message: 'Unverified.',
      cause: { code: 'invalid_credentials', message: 'Unverified.' },
    });
    expect(await made.sut.view(sessionId)).toEqual({ state: 'pending', step: 'credentials' });
    expect(made.mailer.mails).toHaveLength(0);
  });

  it('spends an attempt once, only in the browser that began it, and only for its own state', async () => {
    const made = setup();
    const sessionId = await made.started();
    const { attempt, browserSecret } = await made.upstream.begin(sessionId, 'google');
    const check = async () => identity();
    await expect(made.upstream.finish(attempt.state, 'google', 'another-browser', check)).rejects.toMatchObject({ code: 'invalid_session', message: 'Finish signing in in the browser where you started.' });
    await expect(made.upstream.finish(attempt.state, 'google', undefined, check)).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.upstream.finish(attempt.state, 'microsoft', browserSecret, check)).rejects.toMatchObject({ code: 'invalid_session', message: 'This sign-in is over or was started elsewhere. Start again.' });
    await expect(made.upstream.finish('forged-state', 'google', browserSecret, check)).rejects.toMatchObject({ code: 'invalid_session' });
    expect(await made.sut.view(sessionId)).toEqual({ state: 'pending', step: 'upstream' });
    await made.upstream.finish(attempt.state, 'google', browserSecret, check);
    await expect(made.upstream.finish(attempt.state, 'google', browserSecret, check)).rejects.toMatchObject({ code: 'invalid_session' });
    // A new attempt replaces the one before: the older state is over.
    const other = await made.started();
    const older = await made.upstream.begin(other, 'google');
    const newer = await made.upstream.begin(other, 'google');
    await expect(made.upstream.finish(older.attempt.state, 'google', older.browserSecret, check)).rejects.toMatchObject({ code: 'invalid_session' });
    await made.upstream.finish(newer.attempt.state, 'google', newer.browserSecret, check);
  });

  it('spends the attempt before checking the answer: a failed check leaves the session at credentials, and no replay', async () => {
    const made = setup();
    const sessionId = await made.started();
    const { attempt, browserSecret } = await made.upstream.begin(sessionId, 'google');
    await expect(made.upstream.finish(attempt.state, 'google', browserSecret, async () => { throw new Error('bad token'); })).rejects.toMatchObject({ message: 'bad token', cause: new Error('bad token') });
    expect(await made.sut.view(sessionId)).toEqual({ state: 'pending', step: 'credentials' });
    await expect(made.upstream.finish(attempt.state, 'google', browserSecret, async () => identity())).rejects.toMatchObject({ code: 'invalid_session' });
  });

  it('begins only for a live session at credentials opened by the same interaction (or by none)', async () => {
    const made = setup();
    const hosted = await made.started(undefined, { interaction: 'uid-1' });
    await expect(made.upstream.begin(hosted, 'google')).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.upstream.begin(hosted, 'google', 'uid-2')).rejects.toMatchObject({ code: 'invalid_session' });
    expect((await viaProvider(made, hosted, identity(), { interaction: 'uid-1' })).interaction).toBe('uid-1');
    const failing = await made.started(undefined, { interaction: 'uid-3' });
    await expect(viaProvider(made, failing, identity({ subject: 'g-unverified', emailVerified: false }), { interaction: 'uid-3' })).rejects.toMatchObject({ interaction: 'uid-3' });
    const chat = await made.started();
    await expect(made.upstream.begin(chat, 'google', 'uid-1')).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.upstream.begin(await made.started(ADA), 'google')).rejects.toMatchObject({ code: 'wrong_step' });
    await expect(made.upstream.begin('sess_unknownunknownunknown', 'google')).rejects.toMatchObject({ code: 'invalid_session' });
    const late = await made.started();
    made.clock.advance(3_600_000);
    await expect(made.upstream.begin(late, 'google')).rejects.toMatchObject({ code: 'expired' });
  });
});

describe('SessionService: an upstream sign-in begun from a chat (start link and code)', () => {
  const who: UpstreamIdentity = { provider: 'google', issuer: 'https://accounts.google.com', subject: 'g-chat', email: 'chat@example.com', emailVerified: true, name: 'Chat Person' };
  const CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

  it('gives a link and a code; the right code (any case, any dashes) sends this browser on, and the callback signs the chat in', async () => {
    const made = setup();
    const sessionId = await made.started();
    const handOff = await made.handOff.start(sessionId, 'google');
    expect(handOff.code).toMatch(CODE);
    expect(handOff.link).not.toContain(sessionId);
    expect(handOff.expiresAt).toBe(made.clock.now() + 3_600_000);
    expect(await made.sut.view(sessionId)).toEqual({ state: 'pending', step: 'upstream' });
    expect(await made.handOff.provider(handOff.link)).toBe('google');
    const stored = encodeSession((await made.store.read(sessionId))!.record);
    expect(decodeSession(stored)).toMatchObject({ step: 'upstream', provider: 'google', handOff: { tries: 0 } });
    expect(stored).not.toContain(handOff.code.replace('-', ''));

    const claimed = toProvider(await made.handOff.claim(handOff.link, ` ${handOff.code.toLowerCase().replace('-', ' ')} `));
    expect(claimed.provider).toBe('google');
    await expect(made.handOff.provider(handOff.link)).rejects.toMatchObject({ code: 'invalid_session', message: 'This sign-in link was used or replaced. Start again from the chat.' });
    await expect(made.handOff.claim(handOff.link, handOff.code)).rejects.toMatchObject({ code: 'invalid_session' });
    const finished = await made.upstream.finish(claimed.attempt.state, 'google', claimed.browserSecret, async () => who);
    expect(finished).toEqual({ sessionId, answer: { authenticated: true, name: 'Chat Person', email: 'chat@example.com' } });
  });

  it('counts wrong codes: four say how many are left, the fifth ends the link and the session waits for a password again', async () => {
    const made = setup();
    const sessionId = await made.started();
    const { link, code } = await made.handOff.start(sessionId, 'google');
    const wrong = code.startsWith('B') ? 'CCCC-CCCC' : 'BBBB-BBBB';
    for (const left of [4, 3, 2, 1]) {
      await expect(made.handOff.claim(link, wrong)).rejects.toMatchObject({ code: 'wrong_code', message: "That code doesn't match the one in the chat.", details: { attemptsLeft: left } });
    }
    await expect(made.handOff.claim(link, 'short')).rejects.toMatchObject({ code: 'locked', message: 'Too many wrong codes. Start again from the chat.', details: { attemptsLeft: 0 } });
    await expect(made.handOff.claim(link, code)).rejects.toMatchObject({ code: 'invalid_session' });
    expect(await made.sut.view(sessionId)).toEqual({ state: 'pending', step: 'credentials' });
    // Someone saw the form: a flood of new sessions evicts this one last.
    expect((await made.store.read(sessionId))!.record).toMatchObject({ step: 'credentials', opened: true });
  });

  it('a new link replaces the last; a forged or cut link, an expired session and a hosted page session get none', async () => {
    const made = setup();
    const sessionId = await made.started();
    const older = await made.handOff.start(sessionId, 'google');
    const newer = await made.handOff.start(sessionId, 'microsoft');
    await expect(made.handOff.claim(older.link, older.code)).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.handOff.provider(newer.link.slice(0, -2))).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.handOff.provider(KEYS.seal(`${sessionId}`, 'hand-off'))).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.handOff.provider(KEYS.seal(`${sessionId} x`, 'upstream'))).rejects.toMatchObject({ code: 'invalid_session' });
    expect(await made.handOff.provider(newer.link)).toBe('microsoft');

    const hosted = await made.started(undefined, { interaction: 'uid-1' });
    await expect(made.handOff.start(hosted, 'google')).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.handOff.start(await made.started(ADA), 'google')).rejects.toMatchObject({ code: 'wrong_step' });
    made.clock.advance(3_600_000);
    await expect(made.handOff.claim(newer.link, newer.code)).rejects.toMatchObject({ code: 'expired' });
    await expect(made.handOff.start(sessionId, 'google')).rejects.toMatchObject({ code: 'expired' });

    const unknown = 'sess_unknownunknownunknown';
    await expect(made.handOff.start(unknown, 'google')).rejects.toMatchObject({ code: 'invalid_session' });
    const forUnknown = KEYS.seal(`${unknown} secret`, 'hand-off');
    await expect(made.handOff.provider(forUnknown)).rejects.toMatchObject({ code: 'invalid_session', message: 'This sign-in link was used or replaced. Start again from the chat.' });
    await expect(made.handOff.claim(forUnknown, newer.code)).rejects.toMatchObject({ code: 'invalid_session', message: 'This sign-in link was used or replaced. Start again from the chat.' });
  });

  it('cancel takes a chat back to the password from the start link or from the provider, and changes nothing elsewhere', async () => {
    const made = setup();
    const waiting = await made.started();
    const { link, code } = await made.handOff.start(waiting, 'google');
    await made.handOff.cancel(waiting);
    expect(await made.sut.view(waiting)).toEqual({ state: 'pending', step: 'credentials' });
    expect((await made.store.read(waiting))!.record).toMatchObject({ step: 'credentials', opened: true });
    await expect(made.handOff.claim(link, code)).rejects.toMatchObject({ code: 'invalid_session' });

    const away = await made.started();
    const again = await made.handOff.start(away, 'google');
    const claimed = toProvider(await made.handOff.claim(again.link, again.code));
    await made.handOff.cancel(away);
    await expect(made.upstream.finish(claimed.attempt.state, 'google', claimed.browserSecret, async () => who)).rejects.toMatchObject({ code: 'invalid_session' });

    const signedIn = await made.signedIn(ADA);
    await made.handOff.cancel(signedIn);
    expect(await made.sut.view(signedIn)).toMatchObject({ state: 'authenticated' });
    await made.handOff.cancel('sess_unknownunknownunknown');
    expect(await made.store.read('sess_unknownunknownunknown')).toBeUndefined();

    // An expired one stays as it was: expired, not back at the password.
    const late = await made.started();
    await made.handOff.start(late, 'google');
    made.clock.advance(3_600_000);
    await made.handOff.cancel(late);
    expect((await made.store.read(late))?.record.step).not.toBe('credentials');
  });
});

describe('SessionService: a passkey sign-in begun from a chat (start link, code, then the passkey page)', () => {
  const SPENT = 'This passkey sign-in is over or was started elsewhere. Start again from the chat.';

  /** A chat's session whose passkey start link took its code: the session and the pass for the passkey page's browser. */
  async function onPasskeyPage(made: ReturnType<typeof setup>) {
    const sessionId = await made.started();
    const { link, code } = await made.handOff.start(sessionId, 'passkey');
    expect(await made.handOff.provider(link)).toBe('passkey');
    return { sessionId, link, pass: passOf(await made.handOff.claim(link, code)) };
  }

  it('the right code gives a pass, not a provider attempt; the pass signs the chat in with the passkey\'s account, once', async () => {
    const made = setup();
    const { sessionId, link, pass } = await onPasskeyPage(made);
    expect(pass).not.toContain(sessionId);
    const stored = (await made.store.read(sessionId))!.record;
    expect(stored).toEqual({ step: 'upstream', provider: 'passkey', browser: expect.stringMatching(/^[\w-]{43}$/), expiresAt: made.clock.now() + 3_600_000 });
    expect(decodeSession(encodeSession(stored))).toEqual(stored);
    expect(await made.sut.view(sessionId)).toEqual({ state: 'pending', step: 'upstream' });
    await expect(made.handOff.claim(link, 'BCDF-GHJK')).rejects.toMatchObject({ code: 'invalid_session' });

    expect(await made.passkey.ready({ pass })).toBe(sessionId);
    expect(made.passkey.sessionOf({ pass })).toBe(sessionId);
    expect(made.passkey.sessionOf({ sessionId: 'sess_named', interaction: 'uid-1' })).toBe('sess_named');
    for (const forged of ['nonsense', KEYS.seal(sessionId, 'passkey-pass'), KEYS.seal(` ${sessionId}`, 'passkey-pass')]) {
      expect(() => made.passkey.sessionOf({ pass: forged })).toThrow(expect.objectContaining({ code: 'invalid_session', message: SPENT }));
    }
    expect(await made.passkey.signIn({ pass }, ADA.id)).toEqual({ authenticated: true, name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(await made.sut.view(sessionId)).toMatchObject({ state: 'authenticated', email: 'ada@example.com' });
    await expect(made.passkey.signIn({ pass }, ADA.id)).rejects.toMatchObject({ code: 'invalid_session', message: SPENT });
    await expect(made.passkey.ready({ pass })).rejects.toMatchObject({ code: 'invalid_session', message: SPENT });
  });

  it('a household picks its profile in the chat after the passkey; an account that cannot sign in is refused and the pass still waits', async () => {
    const made = setup();
    const home = await onPasskeyPage(made);
    await expect(made.passkey.signIn({ pass: home.pass }, 'acct-gone')).rejects.toMatchObject({ code: 'invalid_credentials', message: 'This Target account cannot sign in.' });
    expect(await made.passkey.ready({ pass: home.pass })).toBe(home.sessionId);
    expect(await made.passkey.signIn({ pass: home.pass }, HOME.id)).toEqual({ authenticated: false, step: 'profile', profiles: HOUSEHOLD });
    expect(await made.sut.view(home.sessionId)).toMatchObject({ state: 'pending', step: 'profile' });
  });

  it('a pass opens only its own session, in its own browser, while the hand-off waits for it', async () => {
    const made = setup();
    const { sessionId, pass } = await onPasskeyPage(made);
    for (const forged of ['', 'nonsense', pass.slice(0, -3), KEYS.seal(`${sessionId} another-browser`, 'passkey-pass'), KEYS.seal(`${sessionId} x`, 'hand-off'), KEYS.seal(sessionId, 'passkey-pass')]) {
      await expect(made.passkey.ready({ pass: forged })).rejects.toMatchObject({ code: 'invalid_session', message: SPENT });
    }
    // A provider's attempt is not a passkey page, even for the browser it went to.
    const chat = await made.started();
    const google = await made.handOff.start(chat, 'google');
    const { browserSecret } = toProvider(await made.handOff.claim(google.link, google.code));
    await expect(made.passkey.ready({ pass: KEYS.seal(`${chat} ${browserSecret}`, 'passkey-pass') })).rejects.toMatchObject({ code: 'invalid_session' });
    // Nor is a hand-off still waiting for its code.
    const waiting = await made.started();
    await made.handOff.start(waiting, 'passkey');
    await expect(made.passkey.ready({ pass: KEYS.seal(`${waiting} x`, 'passkey-pass') })).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.passkey.ready({ pass: KEYS.seal('sess_unknownunknownunknown x', 'passkey-pass') })).rejects.toMatchObject({ code: 'invalid_session' });

    // The chat went back to the password: the page's pass is spent.
    await made.handOff.cancel(sessionId);
    await expect(made.passkey.signIn({ pass }, ADA.id)).rejects.toMatchObject({ code: 'invalid_session', message: SPENT });
    expect(await made.sut.view(sessionId)).toEqual({ state: 'pending', step: 'credentials' });

    const late = await onPasskeyPage(made);
    made.clock.advance(3_600_000);
    await expect(made.passkey.signIn({ pass: late.pass }, ADA.id)).rejects.toMatchObject({ code: 'expired' });
  });

  it('on our own pages, only the page that opened the session (its interaction) signs it in, at credentials', async () => {
    const made = setup();
    const hosted = await made.started(undefined, { interaction: 'uid-1' });
    await expect(made.passkey.ready({ sessionId: hosted, interaction: 'uid-2' })).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.passkey.signIn({ sessionId: hosted, interaction: 'uid-2' }, ADA.id)).rejects.toMatchObject({ code: 'invalid_session' });
    const chat = await made.started();
    await expect(made.passkey.ready({ sessionId: chat, interaction: 'uid-1' })).rejects.toMatchObject({ code: 'invalid_session' });
    await expect(made.passkey.ready({ sessionId: await made.started(ADA, { interaction: 'uid-3' }), interaction: 'uid-3' })).rejects.toMatchObject({ code: 'wrong_step' });
    expect(await made.passkey.ready({ sessionId: hosted, interaction: 'uid-1' })).toBe(hosted);
    expect(await made.passkey.signIn({ sessionId: hosted, interaction: 'uid-1' }, ADA.id)).toEqual({ authenticated: true, name: 'Ada Lovelace', email: 'ada@example.com' });
    await expect(made.passkey.signIn({ sessionId: hosted, interaction: 'uid-1' }, ADA.id)).rejects.toMatchObject({ code: 'wrong_step' });
  });
});
