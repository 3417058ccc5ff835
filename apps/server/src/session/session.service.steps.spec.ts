/**
 * The sign-in steps' rules that the happy paths do not reach: what each wrong
 * step says, resends (the cooldown, a race, a reset for an unknown e-mail,
 * a failed delivery), authenticator-app and household accounts, a delivery
 * that fails after the session moved on, and what is logged and counted.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ProfileChoice, ProofOfWorkChallenge } from '@target-auth/shared/tools';
import { type Challenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { type Account, AccountDirectory } from '../accounts/account-directory.js';
import { AccountLimits, memoryLimiters } from '../accounts/account-limits.js';
import type { CodeMail, CodeMailer } from '../accounts/code-mailer.js';
import { MailedOneTimeCodes } from '../accounts/mailed-one-time-codes.js';
import { ProofOfWork } from '../accounts/proof-of-work.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { FakeClock, testConfig } from '../testing/fakes.js';
import { MemorySessionStore } from './memory-session.store.js';
import { SessionService } from './session.service.js';
import { StepError } from './step-error.js';

const PASSWORD = 'Velvet-Otter-Quarry-81';
const ADA: Account = { id: 'acct-ada', email: 'ada@example.com', name: 'Ada Lovelace', secondFactor: 'email' };
const APP: Account = { id: 'acct-app', email: 'app@example.com', name: 'App User', secondFactor: 'totp' };
const HOME: Account = { id: 'acct-home', email: 'home@example.com', name: 'Sam Home', secondFactor: 'email' };
const HOUSEHOLD: ProfileChoice[] = [
  { id: 'p-sam', name: 'Sam Home' },
  { id: 'p-alex', name: 'Alex Home' },
];
const TOTP_CODE = '246810';

class Directory extends AccountDirectory {
  readonly totpChecks: string[] = [];
  failWith: Error | undefined;
  private readonly accounts = [ADA, APP, HOME];
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
  async setPassword() {}
  async profiles(accountId: string): Promise<ProfileChoice[]> {
    return accountId === HOME.id ? HOUSEHOLD : [];
  }
  async verifyTotp(accountId: string, code: string) {
    this.totpChecks.push(accountId);
    return accountId === APP.id && code === TOTP_CODE;
  }
}

/** A mailer whose deliveries the test settles: each `send` waits until released or failed. */
class HeldMailer {
  readonly mails: CodeMail[] = [];
  private pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  hold = false;
  failNext: Error | undefined;
  send(mail: CodeMail): Promise<void> {
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
  const mailer = new HeldMailer();
  const metrics = new MetricsService();
  const sut = new SessionService(
    store,
    clock,
    testConfig({ SESSION_TTL_MS: '3600000', CODE_TTL_MS: '600000' }),
    directory,
    new MailedOneTimeCodes(Buffer.alloc(32, 1), mailer as unknown as CodeMailer, 10),
    new AccountLimits(Buffer.alloc(32, 2)),
    new ProofOfWork('secret', memoryLimiters),
    metrics,
  );
  const started = async (account?: Account) => {
    const { sessionId } = await sut.create();
    if (account) await sut.submitCredentials(sessionId, account.email, PASSWORD);
    return sessionId;
  };
  return { sut, clock, store, directory, mailer, metrics, started };
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
    expect((await store.get(fresh))?.opened).toBe(true);
    await sut.open(fresh);
    expect(writes).toEqual([true, false]);
    expect((await store.get(fresh))?.opened).toBe(true);

    const atVerify = await started(ADA);
    writes.length = 0;
    await sut.open(atVerify);
    expect(writes).toEqual([]);

    const expired = await started();
    clock.advance(3_600_000);
    expect(await sut.open(expired)).toEqual({ state: 'expired' });
    expect((await store.get(expired))?.opened).toBe(false);
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

  it('after a reset for an unknown e-mail, answers as for a real account and mails nobody', async () => {
    const { sut, clock, mailer, started } = setup();
    const known = await started();
    const unknown = await started();
    const answers = [await sut.startPasswordReset(known, ADA.email), await sut.startPasswordReset(unknown, 'nobody@example.com')];
    expect(answers).toEqual([
      { step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'a•••@example.com' } },
      { step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'n•••@example.com' } },
    ]);
    expect(await sut.view(unknown)).toEqual({ state: 'pending', step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'n•••@example.com' } });
    clock.advance(30_000);
    expect(await sut.resendCode(unknown)).toEqual({ step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'n•••@example.com' } });
    expect(await refusal(sut.resendCode(unknown))).toMatchObject({ code: 'rate_limited' });
    expect(mailer.mails.map((mail) => mail.to)).toEqual([ADA.email]);
    expect(await refusal(sut.verifyCode(unknown, '000000'))).toMatchObject({ code: 'wrong_code' });
  });

  it('waits for the resent code to go out: a failed resend says "unavailable" and keeps the code step', async () => {
    const { sut, clock, mailer, started } = setup();
    const sessionId = await started(ADA);
    clock.advance(30_000);
    mailer.failNext = new Error('421 try later');
    expect(await refusal(sut.resendCode(sessionId))).toEqual({ code: 'unavailable', message: "We couldn't send your code. Try again in a moment.", details: {} });
    expect(await sut.view(sessionId)).toMatchObject({ state: 'pending', step: 'verify' });
    expect(mailer.mails.at(-1)).toMatchObject({ to: ADA.email, name: ADA.name, purpose: 'sign-in' });
  });
});

describe('SessionService: a delivery that fails after the session moved on', () => {
  it('does not undo a sign-in that used the code while its mail was still being sent', async () => {
    const { sut, mailer, started } = setup();
    const sessionId = await started();
    mailer.hold = true;
    const sending = sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(sut.verifyCode(sessionId, mailer.mails[0]!.code)).resolves.toMatchObject({ authenticated: true });
    mailer.release(new Error('timeout after DATA'));
    expect(await refusal(sending)).toMatchObject({ code: 'unavailable' });
    expect(await sut.view(sessionId)).toMatchObject({ state: 'authenticated', email: ADA.email });
  });

  it('does not undo a newer code: only the step its own code started', async () => {
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
  });

  it('does not undo a session that was moved back to credentials and on again', async () => {
    const { sut, store, mailer, started } = setup();
    const sessionId = await started();
    mailer.hold = true;
    const sending = sut.submitCredentials(sessionId, ADA.email, PASSWORD);
    await new Promise((resolve) => setImmediate(resolve));
    // Meanwhile the session is at another step with the same code check (as a restored record could be).
    const held = (await store.get(sessionId))!;
    await store.transition(sessionId, () => ({ next: held.with({ step: 'new-password' }), result: null }));
    mailer.release(new Error('lost'));
    await refusal(sending);
    expect((await store.get(sessionId))?.step).toBe('new-password');
  });

  it('logs a failed background delivery (a reset) by its kind, never the address', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { sut, mailer, started } = setup();
    const sessionId = await started();
    mailer.failNext = Object.assign(new Error('550 ada@example.com unknown'), { code: 'EENVELOPE' });
    await expect(sut.startPasswordReset(sessionId, ADA.email)).resolves.toMatchObject({ step: 'verify' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(logged.mock.calls).toEqual([['Code not sent: Error (EENVELOPE)']]);
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
    expect(logged.mock.calls).toEqual([['Code not sent: unknown error'], ['Code not sent: TypeError'], ['Code not sent: Error']]);
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

  it('blocks the password step of an account on its fifth failure, saying for how long', async () => {
    const { sut, started } = setup();
    const sessionId = await started();
    const wrong = (altcha?: string) => refusal(sut.submitCredentials(sessionId, 'ghost@example.com', 'wrong', altcha));
    for (let i = 0; i < 3; i++) expect(await wrong()).toMatchObject({ code: 'invalid_credentials' });
    // After three failures a challenge is asked first; an unsolved one never counts as a try.
    const solvedTry = async () => {
      const asked = await wrong();
      expect(asked.code).toBe('challenge_required');
      return wrong(await solve(asked.details.challenge as ProofOfWorkChallenge));
    };
    expect(await solvedTry()).toMatchObject({ code: 'invalid_credentials' });
    const blocked = { code: 'rate_limited', message: 'Too many failed sign-ins for this account. Try again in 15 minutes.', details: { retryAfterSeconds: 900 } };
    expect(await solvedTry()).toEqual(blocked);
    expect(await wrong()).toEqual(blocked);
  });

  it('locks the code step of an account across sessions, and says so', async () => {
    const { sut, started } = setup();
    for (let round = 0; round < 2; round++) {
      const sessionId = await started(ADA);
      for (let i = 0; i < 4; i++) await refusal(sut.verifyCode(sessionId, '000000'));
    }
    const third = await started(ADA);
    await refusal(sut.verifyCode(third, '000000'));
    expect(await refusal(sut.verifyCode(third, '000000'))).toEqual({
      code: 'rate_limited',
      message: 'Too many wrong codes for this account. Try again in 60 minutes.',
      details: { retryAfterSeconds: 3600 },
    });
    expect(await refusal(sut.verifyCode(third, '000000'))).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/^Too many wrong codes for this account\./) });
  });

  it('says too many codes were sent to the account', async () => {
    const { sut, clock, started } = setup();
    const sessionId = await started(ADA);
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      await sut.resendCode(sessionId);
    }
    clock.advance(30_000);
    expect(await refusal(sut.resendCode(sessionId))).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/^Too many codes were sent to this account\. Try again in/) });
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
  it('never hands over a signed-in record without an account', async () => {
    const { sut, store, started } = setup();
    const sessionId = await started();
    const record = (await store.get(sessionId))!;
    await store.transition(sessionId, () => ({ next: record.with({ step: 'authenticated', email: 'x@example.com', name: 'X' }), result: null }));
    expect(await sut.handOver(sessionId)).toBeNull();
    expect((await store.get(sessionId))?.expiresAt).toBe(record.expiresAt);
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

