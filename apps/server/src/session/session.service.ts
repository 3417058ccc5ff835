/**
 * The sign-in state machine, per session: credentials → code → (profile) →
 * authenticated, with "Forgot password?" as credentials → code → new password.
 * Expiry follows the injected clock; wrong codes lock a session after
 * MAX_CODE_ATTEMPTS, and the per-account limits (sign-in-limits.ts) apply
 * across sessions. Tools (../tools) and the HTTP API (../api) both call in here.
 */
import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import {
  type CodeAcceptedResult,
  type CodeDelivery,
  type CodePurpose,
  type CodeSentResult,
  INVALID_SESSION_MESSAGE,
  MAX_CODE_ATTEMPTS,
  type PendingStep,
  type ProfileChoice,
  RESEND_COOLDOWN_SECONDS,
  SESSION_EXPIRED_MESSAGE,
  SESSION_ID_PATTERN,
  SIGN_IN_LOCKED_MESSAGE,
  type SignedInResult,
} from '@target-auth/shared/tools';
import { type Account, AccountDirectory } from '../accounts/account-directory.js';
import { OneTimeCodes } from '../accounts/one-time-codes.js';
import { WeakPasswordError } from '../accounts/passwords.js';
import { ProofOfWork } from '../accounts/proof-of-work.js';
import { LIMITS, SignInLimits } from '../accounts/sign-in-limits.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Clock } from './clock.js';
import { SessionRecord } from './session.record.js';
import { SessionStore, type Versioned } from './session.store.js';
import { rateLimited, StepError } from './step-error.js';

/** How a session looks from outside, without anything secret. */
export type SessionView =
  | { state: 'unknown' }
  | { state: 'expired' }
  | { state: 'locked' }
  | { state: 'pending'; step: PendingStep; purpose?: CodePurpose; delivery?: CodeDelivery; profiles?: ProfileChoice[] }
  | { state: 'authenticated'; name: string; email: string; profile: string | null };

type CodeOutcome = { kind: 'accepted'; record: SessionRecord } | { kind: 'expired' } | { kind: 'wrong'; attemptsLeft: number };

const CODE_SEND_FAILED = "We couldn't send your code. Try again in a moment.";

@Injectable()
export class SessionService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly accounts: AccountDirectory,
    private readonly codes: OneTimeCodes,
    private readonly limits: SignInLimits,
    private readonly proofOfWork: ProofOfWork,
    private readonly metrics: MetricsService,
  ) {}

  /** Starts a pending sign-in. Throws `unavailable` when the store is full of sign-ins past their credentials. */
  async create(): Promise<{ sessionId: string; expiresAt: Date }> {
    const sessionId = `sess_${randomBytes(18).toString('base64url')}`;
    const expiresAt = this.clock.now() + this.config.sessionTtlMs;
    if (!(await this.store.insert(sessionId, new SessionRecord(expiresAt)))) {
      throw new StepError('unavailable', 'Too many sign-ins in progress. Try again in a few minutes.');
    }
    this.metrics.signInsStarted.inc();
    return { sessionId, expiresAt: new Date(expiresAt) };
  }

  /** The session's state; malformed and unknown ids both read as unknown. */
  async view(sessionId: string): Promise<SessionView> {
    const record = await this.read(sessionId);
    if (!record) return { state: 'unknown' };
    if (this.isExpired(record)) return { state: 'expired' };
    switch (record.step) {
      case 'credentials':
      case 'new-password':
        return { state: 'pending', step: record.step };
      case 'verify':
        return { state: 'pending', step: 'verify', purpose: record.purpose, delivery: this.deliveryOf(record) };
      case 'profile':
        return { state: 'pending', step: 'profile', profiles: await this.accounts.profiles(record.accountId ?? '') };
      case 'locked':
        return { state: 'locked' };
      case 'authenticated':
        return { state: 'authenticated', name: record.name ?? '', email: record.email ?? '', profile: record.profile };
    }
  }

  /**
   * The session's state, as `view`, for showing the sign-in form: a pending
   * session is marked opened, so a flood of new sessions evicts it last.
   */
  async open(sessionId: string): Promise<SessionView> {
    const view = await this.view(sessionId);
    if (view.state === 'pending' && view.step === 'credentials') {
      await this.store.transition(sessionId, (record) => {
        if (!record || record.opened || record.step !== 'credentials') return { result: null };
        return { next: record.with({ opened: true }), result: null };
      });
    }
    return view;
  }

  /**
   * For the hosted sign-in page (account linking): the signed-in account of a
   * live session, once. The session ends on the way (it reads as expired), so
   * its id cannot sign anyone in twice. Null for any other session.
   */
  async handOver(sessionId: string): Promise<{ accountId: string; profile: string | null } | null> {
    return this.store.transition(sessionId, (record) => {
      if (!record || record.step !== 'authenticated' || record.accountId === null || this.isExpired(record)) return { result: null };
      return { next: record.with({ expiresAt: this.clock.now() }), result: { accountId: record.accountId, profile: record.profile } };
    });
  }

  /** Step 1: checks the credentials and sends the code (or asks for the authenticator app's). */
  submitCredentials(sessionId: string, email: string, password: string, proofOfWork?: string): Promise<CodeSentResult> {
    return counted(this.metrics.credentials, this.checkCredentials(sessionId, email, password, proofOfWork));
  }

  /** Step 2: a correct code signs in, or leads to the profile or new-password step; wrong ones count toward the locks. */
  verifyCode(sessionId: string, code: string): Promise<CodeAcceptedResult> {
    return counted(this.metrics.codes, this.checkCode(sessionId, code));
  }

  /** "Forgot password?": mails a reset code. Answers alike whether or not the e-mail has an account. */
  async startPasswordReset(sessionId: string, email: string): Promise<CodeSentResult> {
    this.requireStep(await this.readLive(sessionId), 'credentials');
    const account = await this.accounts.findForRecovery(email);
    if (!account) {
      // Nothing is sent and no code can match, but the session moves on as if one were:
      // the answer tells nobody whether the e-mail has an account.
      const delivery = this.codes.delivery(email);
      await this.moveToCode(sessionId, 'credentials', { id: null, email, name: email }, 'reset', delivery.method, null, null);
      return { step: 'verify', purpose: 'reset', delivery };
    }
    return this.sendCode(sessionId, 'credentials', account, 'reset', { awaitDelivery: false });
  }

  /** Sends a new code to the session's account (after the cooldown, within the account's sends). */
  async resendCode(sessionId: string): Promise<CodeSentResult> {
    const record = this.requireStep(await this.readLive(sessionId), 'verify');
    if (record.method === 'totp') throw new StepError('wrong_step', 'Enter the code from your authenticator app.');
    const waited = (this.clock.now() - record.codeSentAt) / 1000;
    if (waited < RESEND_COOLDOWN_SECONDS) throw rateLimited('A code was just sent.', RESEND_COOLDOWN_SECONDS - waited);
    const account = { id: record.accountId, email: record.email ?? '', name: record.name ?? '' };
    if (account.id === null) {
      await this.moveToCode(sessionId, 'verify', account, record.purpose, 'email', record.codeSentAt, record.codeCheck);
      return { step: 'verify', purpose: record.purpose, delivery: this.codes.delivery(account.email) };
    }
    return this.sendCode(sessionId, 'verify', { ...account, id: account.id, secondFactor: 'email' }, record.purpose, {
      awaitDelivery: true,
      sentAt: record.codeSentAt,
    });
  }

  /** After a reset code: sets the new password (policy checked) and signs in. */
  async setPassword(sessionId: string, password: string): Promise<CodeAcceptedResult> {
    const record = this.requireStep(await this.readLive(sessionId), 'new-password');
    try {
      await this.accounts.setPassword(record.accountId ?? '', record.email ?? '', password);
    } catch (error) {
      if (error instanceof WeakPasswordError) throw new StepError('weak_password', error.message);
      throw error;
    }
    await this.limits.passwordAccepted(record.email ?? '');
    const profiles = await this.accounts.profiles(record.accountId ?? '');
    return this.finish(sessionId, 'new-password', profiles);
  }

  /** For a household account: picks who is signing in. */
  async selectProfile(sessionId: string, profileId: string): Promise<SignedInResult> {
    const record = this.requireStep(await this.readLive(sessionId), 'profile');
    const profile = (await this.accounts.profiles(record.accountId ?? '')).find((candidate) => candidate.id === profileId);
    if (!profile) throw new StepError('invalid_input', 'Choose one of the profiles shown.');
    const result = await this.finish(sessionId, 'profile', [profile]);
    return result as SignedInResult;
  }

  private async checkCredentials(sessionId: string, email: string, password: string, proofOfWork?: string): Promise<CodeSentResult> {
    this.requireStep(await this.readLive(sessionId), 'credentials');
    const gate = await this.limits.passwordGate(email);
    if (gate.retryAfterSeconds !== null) throw rateLimited('Too many failed sign-ins for this account.', gate.retryAfterSeconds);
    if (gate.failures >= LIMITS.challengeAfterFailures && !(proofOfWork && (await this.proofOfWork.verify(proofOfWork)))) {
      throw new StepError('challenge_required', 'Checking your browser…', { challenge: await this.proofOfWork.create() });
    }
    const account = await this.accounts.verifyCredentials(email, password);
    if (!account) {
      const blockedFor = await this.limits.passwordFailed(email);
      if (blockedFor !== null) throw rateLimited('Too many failed sign-ins for this account.', blockedFor);
      throw new StepError('invalid_credentials', 'Email or password is incorrect.');
    }
    await this.limits.passwordAccepted(email);
    if (account.secondFactor === 'totp') {
      await this.moveToCode(sessionId, 'credentials', account, 'sign-in', 'totp', null, null);
      return { step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } };
    }
    return this.sendCode(sessionId, 'credentials', account, 'sign-in', { awaitDelivery: true });
  }

  /**
   * Moves the session to the code step with a new code, then delivers it. The
   * move happens first and only if the session is still where it was read
   * (`from`, and for a resend the same `sentAt`), so two racing requests send
   * one code, not two.
   */
  private async sendCode(
    sessionId: string,
    from: 'credentials' | 'verify',
    account: Account,
    purpose: CodePurpose,
    options: { awaitDelivery: boolean; sentAt?: number },
  ): Promise<CodeSentResult> {
    const waitFor = await this.limits.sendGate(account.id);
    if (waitFor !== null) throw rateLimited('Too many codes were sent to this account.', waitFor);
    const issued = this.codes.create(sessionId);
    const delivery = this.codes.delivery(account.email);
    await this.moveToCode(sessionId, from, account, purpose, delivery.method, options.sentAt ?? null, issued.check);
    await this.limits.codeSent(account.id);
    const sending = this.codes.deliver(account, issued.code, purpose);
    if (!options.awaitDelivery) {
      sending.catch((error: unknown) => this.logger.error(`Code not sent: ${describe(error)}`));
      return { step: 'verify', purpose, delivery };
    }
    try {
      await sending;
    } catch (error) {
      this.logger.error(`Code not sent: ${describe(error)}`);
      if (from === 'credentials') await this.undoCodeStep(sessionId, issued.check);
      throw new StepError('unavailable', CODE_SEND_FAILED);
    }
    return { step: 'verify', purpose, delivery };
  }

  /** Back to credentials after a code that could not be sent, unless the session has moved on since. */
  private undoCodeStep(sessionId: string, codeCheck: string | null): Promise<void> {
    return this.store.transition(sessionId, (record) => {
      if (!record || record.step !== 'verify' || record.codeCheck !== codeCheck) return { result: undefined };
      const next = record.with({ step: 'credentials', accountId: null, email: null, name: null, method: null, codeCheck: null, codeSentAt: 0 });
      return { next, result: undefined };
    });
  }

  private moveToCode(
    sessionId: string,
    from: 'credentials' | 'verify',
    account: { id: string | null; email: string; name: string },
    purpose: CodePurpose,
    method: 'email' | 'totp' | 'demo',
    sentAt: number | null,
    codeCheck: string | null,
  ): Promise<void> {
    const now = this.clock.now();
    return this.store.transition(sessionId, (record) => {
      const current = this.requireStep(this.live(record), from);
      if (sentAt !== null && current.codeSentAt !== sentAt) throw rateLimited('A code was just sent.', RESEND_COOLDOWN_SECONDS);
      const next = current.with({
        step: 'verify',
        purpose,
        method,
        accountId: account.id,
        email: account.email,
        name: account.name,
        codeCheck,
        codeSentAt: now,
        failedCodes: from === 'verify' ? current.failedCodes : 0,
      });
      return { next, result: undefined };
    });
  }

  private async checkCode(sessionId: string, code: string): Promise<CodeAcceptedResult> {
    // One read, handed to the transition: a code costs two round trips to a shared store, not three.
    const read = await this.readVersioned(sessionId);
    const record = this.requireStep(this.live(read?.record), 'verify');
    if (record.accountId !== null) {
      const lockedFor = await this.limits.codeGate(record.accountId);
      if (lockedFor !== null) throw rateLimited('Too many wrong codes for this account.', lockedFor);
    }
    // An authenticator code is checked (and spent) before the atomic step; a mailed one inside it.
    const totpOk = record.method === 'totp' && record.accountId !== null && (await this.accounts.verifyTotp(record.accountId, code));
    const profiles = record.purpose === 'sign-in' && record.accountId !== null ? await this.accounts.profiles(record.accountId) : [];
    const now = this.clock.now();
    const outcome = await this.store.transition<CodeOutcome>(sessionId, (stored) => {
      const current = this.requireStep(this.live(stored), 'verify');
      if (current.method !== 'totp' && now >= current.codeSentAt + this.config.accounts.codeTtlMs) return { result: { kind: 'expired' } };
      const ok =
        current.accountId !== null && (current.method === 'totp' ? totpOk : this.codes.matches(sessionId, code, current.codeCheck));
      if (ok) {
        const next = current.purpose === 'reset' ? current.with({ step: 'new-password', codeCheck: null }) : this.signedIn(current, profiles);
        return { next, result: { kind: 'accepted', record: next } };
      }
      const failed = current.failedCodes + 1;
      const next = current.with({ step: failed >= MAX_CODE_ATTEMPTS ? 'locked' : 'verify', failedCodes: failed });
      return { next, result: { kind: 'wrong', attemptsLeft: MAX_CODE_ATTEMPTS - failed } };
    }, read);
    if (outcome.kind === 'expired') throw new StepError('code_expired', 'This code has expired. Send a new one.');
    if (outcome.kind === 'accepted') return this.resultOf(outcome.record, profiles);
    const accountLockedFor = record.accountId === null ? null : await this.limits.codeFailed(record.accountId);
    if (outcome.attemptsLeft === 0) {
      this.metrics.lockouts.inc();
      throw new StepError('locked', SIGN_IN_LOCKED_MESSAGE, { attemptsLeft: 0 });
    }
    if (accountLockedFor !== null) throw rateLimited('Too many wrong codes for this account.', accountLockedFor);
    const plural = outcome.attemptsLeft === 1 ? 'attempt' : 'attempts';
    throw new StepError('wrong_code', `That code is not right. ${outcome.attemptsLeft} ${plural} left.`, {
      attemptsLeft: outcome.attemptsLeft,
    });
  }

  /** Moves a session from `from` to signed in (or to the profile step for a household). */
  private async finish(sessionId: string, from: 'new-password' | 'profile', profiles: ProfileChoice[]): Promise<CodeAcceptedResult> {
    const next = await this.store.transition(sessionId, (stored) => {
      const current = this.requireStep(this.live(stored), from);
      const signedIn = this.signedIn(current, profiles);
      return { next: signedIn, result: signedIn };
    });
    return this.resultOf(next, profiles);
  }

  /** Signed in for a fresh TTL when one profile (or none) applies; else at the profile step. */
  private signedIn(record: SessionRecord, profiles: ProfileChoice[]): SessionRecord {
    if (profiles.length > 1) return record.with({ step: 'profile', codeCheck: null });
    const expiresAt = this.clock.now() + this.config.sessionTtlMs;
    return record.with({ step: 'authenticated', expiresAt, codeCheck: null, profile: profiles[0]?.name ?? null });
  }

  private resultOf(record: SessionRecord, profiles: ProfileChoice[]): CodeAcceptedResult {
    if (record.step === 'new-password') return { authenticated: false, step: 'new-password' };
    if (record.step === 'profile') return { authenticated: false, step: 'profile', profiles };
    return {
      authenticated: true,
      name: record.name ?? '',
      email: record.email ?? '',
      ...(record.profile !== null ? { profile: record.profile } : {}),
    };
  }

  private deliveryOf(record: SessionRecord): CodeDelivery {
    if (record.method === 'totp') return { method: 'totp' };
    return this.codes.delivery(record.email ?? '');
  }

  private isExpired(record: SessionRecord): boolean {
    return this.clock.now() >= record.expiresAt;
  }

  private async readLive(sessionId: string): Promise<SessionRecord> {
    return this.live(await this.read(sessionId));
  }

  /** The reads of the store: a malformed id is never looked up, and reads as unknown. */
  private read(sessionId: string): Promise<SessionRecord | undefined> {
    return SESSION_ID_PATTERN.test(sessionId) ? this.store.get(sessionId) : Promise.resolve(undefined);
  }

  private readVersioned(sessionId: string): Promise<Versioned | undefined> {
    return SESSION_ID_PATTERN.test(sessionId) ? this.store.read(sessionId) : Promise.resolve(undefined);
  }

  private live(record: SessionRecord | undefined): SessionRecord {
    if (!record) throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
    if (this.isExpired(record)) throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
    return record;
  }

  private requireStep(record: SessionRecord, step: Exclude<SessionRecord['step'], 'authenticated' | 'locked'>): SessionRecord {
    if (record.step === step) return record;
    switch (record.step) {
      case 'locked':
        throw new StepError('locked', SIGN_IN_LOCKED_MESSAGE, { attemptsLeft: 0 });
      case 'authenticated':
        throw new StepError('wrong_step', 'This session is already signed in.');
      case 'verify':
        throw new StepError('wrong_step', 'A code was sent: enter the 6-digit code.');
      case 'credentials':
        throw new StepError('wrong_step', 'Enter your email and password first.');
      case 'profile':
        throw new StepError('wrong_step', 'Choose who is signing in.');
      case 'new-password':
        throw new StepError('wrong_step', 'Choose a new password.');
    }
  }
}

/** Counts a step by its outcome: `accepted`, or the refusal's code. */
async function counted<T>(counter: Counter<'outcome'>, step: Promise<T>): Promise<T> {
  try {
    const result = await step;
    counter.inc({ outcome: 'accepted' });
    return result;
  } catch (error) {
    counter.inc({ outcome: error instanceof StepError ? error.code : 'error' });
    throw error;
  }
}

/** An error's kind for the log: its name and code, never its message (it may carry addresses). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} (${code})` : error.name;
}
