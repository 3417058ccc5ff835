/**
 * The sign-in state machine, per session: credentials → code → (profile) →
 * authenticated, with "Forgot password?" as credentials → mailed code →
 * (authenticator code, when the account has one) → new password. Expiry
 * follows the injected clock; wrong codes lock a session after
 * MAX_CODE_ATTEMPTS, and the per-account limits (sign-in-limits.ts, reserved
 * before the work) apply across sessions. A signed-in session lasts while the
 * account's credentials epoch is the one it signed in under. Tools (../tools)
 * and the HTTP API (../api) both call in here.
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
import { kindOf } from '../accounts/mail-outbox.js';
import { OneTimeCodes } from '../accounts/one-time-codes.js';
import { WeakPasswordError } from '../accounts/passwords.js';
import { KeyRing } from '../accounts/secret-key.js';
import { isRefusal, SignInLimits } from '../accounts/sign-in-limits.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Clock } from '../common/clock.js';
import { PasswordAttempts } from './password-attempts.js';
import { type SessionFields, SessionRecord } from './session.record.js';
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

/** What the hosted page takes over from a signed-in session (see `handOver`). */
export interface HandedOver {
  accountId: string;
  profile: string | null;
  /** The credentials epoch the sign-in was made under. */
  epoch: number;
}

/** Who a code goes to and what the session records about it, when a code step starts. */
type CodeStep = Pick<SessionFields, 'purpose'> & Partial<Pick<SessionFields, 'accountId' | 'email' | 'name' | 'epoch' | 'device'>>;

const CODE_SEND_FAILED = "We couldn't send your code. Try again in a moment.";
const INVALID_CREDENTIALS = 'Email or password is incorrect.';
const TOO_MANY_CODES = 'Too many wrong codes for this account.';

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
    private readonly passwords: PasswordAttempts,
    private readonly keys: KeyRing,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Starts a pending sign-in; `interaction` binds it to the hosted page's
   * interaction that opened it (only that one may take it over). Throws
   * `unavailable` when the store is full of sign-ins past their credentials.
   */
  async create(options: { interaction?: string } = {}): Promise<{ sessionId: string; expiresAt: Date }> {
    const sessionId = `sess_${randomBytes(18).toString('base64url')}`;
    const expiresAt = this.clock.now() + this.config.sessionTtlMs;
    if (!(await this.store.insert(sessionId, new SessionRecord(expiresAt, { interaction: options.interaction ?? null })))) {
      throw new StepError('unavailable', 'Too many sign-ins in progress. Try again in a few minutes.');
    }
    this.metrics.signInsStarted.inc();
    return { sessionId, expiresAt: new Date(expiresAt) };
  }

  /** The session's state; malformed and unknown ids both read as unknown, a sign-in whose credentials changed since as expired. */
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
        if (!(await this.isCurrent(record))) return { state: 'expired' };
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
   * live session that this interaction opened, once. The session ends on the
   * way (it reads as expired), so its id cannot sign anyone in twice. Null,
   * leaving the session as it was, for any other session: one signed in
   * elsewhere (in a chat, for another interaction), pending, unknown, or
   * signed in under credentials changed since.
   */
  async handOver(sessionId: string, interaction: string): Promise<HandedOver | null> {
    const record = await this.read(sessionId);
    const takes = (candidate: SessionRecord | undefined): candidate is SessionRecord & { accountId: string; epoch: number } =>
      candidate !== undefined &&
      candidate.step === 'authenticated' &&
      candidate.interaction === interaction &&
      candidate.accountId !== null &&
      candidate.epoch !== null &&
      !this.isExpired(candidate);
    if (!takes(record) || !(await this.isCurrent(record))) return null;
    return this.store.transition(sessionId, (current) => {
      if (!takes(current) || current.accountId !== record.accountId || current.epoch !== record.epoch) return { result: null };
      return { next: current.with({ expiresAt: this.clock.now() }), result: { accountId: current.accountId, profile: current.profile, epoch: current.epoch } };
    });
  }

  /** Step 1: checks the credentials and sends the code (or asks for the authenticator app's). */
  submitCredentials(sessionId: string, email: string, password: string, options: { altcha?: string; device?: string } = {}): Promise<CodeSentResult> {
    return counted(this.metrics.credentials, this.checkCredentials(sessionId, email, password, options));
  }

  /** Step 2: a correct code signs in, or leads to the profile, authenticator or new-password step; wrong ones count toward the locks. */
  verifyCode(sessionId: string, code: string): Promise<CodeAcceptedResult> {
    return counted(this.metrics.codes, this.checkCode(sessionId, code));
  }

  /**
   * "Forgot password?": queues a reset code for the e-mail typed. Nothing here
   * looks the account up: the answer, its time and the mail budget are the same
   * for every address, and only the mailbox of an active account gets the code.
   */
  async startPasswordReset(sessionId: string, email: string, device?: string): Promise<CodeSentResult> {
    this.requireStep(await this.readLive(sessionId), 'credentials');
    return this.sendCode(sessionId, 'credentials', { purpose: 'reset', email, device: this.deviceHash(device) }, email);
  }

  /** Sends a new code to the session's address (after the cooldown, within the address's sends). */
  async resendCode(sessionId: string): Promise<CodeSentResult> {
    const record = this.requireStep(await this.readLive(sessionId), 'verify');
    if (record.method === 'totp') throw new StepError('wrong_step', 'Enter the code from your authenticator app.');
    const waited = (this.clock.now() - record.codeSentAt) / 1000;
    if (waited < RESEND_COOLDOWN_SECONDS) throw rateLimited('A code was just sent.', RESEND_COOLDOWN_SECONDS - waited);
    return this.sendCode(sessionId, 'verify', { purpose: record.purpose }, record.email ?? '', record.codeSentAt);
  }

  /**
   * After a reset's codes: sets the new password (policy checked), which ends
   * every sign-in made with the old one, and signs this session in.
   */
  async setPassword(sessionId: string, password: string): Promise<CodeAcceptedResult> {
    const record = this.requireStep(await this.readLive(sessionId), 'new-password');
    const accountId = record.accountId ?? '';
    let epoch: number;
    try {
      epoch = await this.accounts.setPassword(accountId, record.email ?? '', password, record.device ?? undefined);
    } catch (error) {
      if (error instanceof WeakPasswordError) throw new StepError('weak_password', error.message);
      throw error;
    }
    return this.finish(sessionId, 'new-password', await this.accounts.profiles(accountId), { epoch });
  }

  /** For a household account: picks who is signing in. */
  async selectProfile(sessionId: string, profileId: string): Promise<SignedInResult> {
    const record = this.requireStep(await this.readLive(sessionId), 'profile');
    if (!(await this.isCurrent(record))) throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
    const profile = (await this.accounts.profiles(record.accountId ?? '')).find((candidate) => candidate.id === profileId);
    if (!profile) throw new StepError('invalid_input', 'Choose one of the profiles shown.');
    const result = await this.finish(sessionId, 'profile', [profile]);
    return result as SignedInResult;
  }

  private async checkCredentials(sessionId: string, email: string, password: string, options: { altcha?: string; device?: string }): Promise<CodeSentResult> {
    this.requireStep(await this.readLive(sessionId), 'credentials');
    const device = this.deviceHash(options.device);
    const attempt = await this.passwords.reserve(email, device, options.altcha);
    const account = await this.accounts.verifyCredentials(email, password);
    // A wrong password keeps its reservation: it counts as a failure.
    if (!account) throw new StepError('invalid_credentials', INVALID_CREDENTIALS);
    await attempt.succeeded();
    const step: CodeStep = { purpose: 'sign-in', accountId: account.id, email: account.email, name: account.name, epoch: account.epoch, device };
    if (account.secondFactor === 'totp') {
      await this.moveToCode(sessionId, 'credentials', { ...step, method: 'totp', codeCheck: null });
      return { step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } };
    }
    return this.sendCode(sessionId, 'credentials', step, email);
  }

  /**
   * Reserves a mail to `email` from its budget, moves the session to the code
   * step with a new code, then queues the code. The move happens only if the
   * session is still where it was read (`from`, and for a resend the same
   * `sentAt`), so two racing requests queue one code, not two.
   */
  private async sendCode(sessionId: string, from: 'credentials' | 'verify', step: CodeStep, email: string, sentAt?: number): Promise<CodeSentResult> {
    const refused = await this.limits.reserveSend(email, step.purpose);
    if (refused) throw rateLimited('Too many codes were sent to this address.', refused.retryAfterSeconds);
    const issued = this.codes.create(sessionId);
    const delivery = this.codes.delivery(email);
    const movedAt = await this.moveToCode(sessionId, from, { ...step, method: delivery.method, codeCheck: issued.check }, sentAt);
    try {
      await this.codes.deliver(email, issued.code, step.purpose, movedAt + this.config.accounts.codeTtlMs);
    } catch (error) {
      this.logger.error(`Code not queued: ${kindOf(error)}`);
      if (from === 'credentials') await this.undoCodeStep(sessionId, issued.check);
      throw new StepError('unavailable', CODE_SEND_FAILED);
    }
    return { step: 'verify', purpose: step.purpose, delivery };
  }

  /** Back to credentials after a code that could not be queued, unless the session has moved on since. */
  private undoCodeStep(sessionId: string, codeCheck: string | null): Promise<void> {
    return this.store.transition(sessionId, (record) => {
      if (!record || record.step !== 'verify' || record.codeCheck !== codeCheck) return { result: undefined };
      const next = record.with({ step: 'credentials', accountId: null, email: null, name: null, method: null, codeCheck: null, codeSentAt: 0, epoch: null });
      return { next, result: undefined };
    });
  }

  /** Moves the session to the code step with these fields; the time it did (the code's start). */
  private async moveToCode(
    sessionId: string,
    from: 'credentials' | 'verify',
    step: CodeStep & Pick<SessionFields, 'method' | 'codeCheck'>,
    sentAt?: number,
  ): Promise<number> {
    const now = this.clock.now();
    await this.store.transition(sessionId, (record) => {
      const current = this.requireStep(this.live(record), from);
      if (sentAt !== undefined && current.codeSentAt !== sentAt) throw rateLimited('A code was just sent.', RESEND_COOLDOWN_SECONDS);
      const next = current.with({ ...step, step: 'verify', codeSentAt: now, failedCodes: from === 'verify' ? current.failedCodes : 0 });
      return { next, result: undefined };
    });
    return now;
  }

  private async checkCode(sessionId: string, code: string): Promise<CodeAcceptedResult> {
    // One read, handed to the transition: a code costs two round trips to a shared store, not three.
    const read = await this.readVersioned(sessionId);
    const record = this.requireStep(this.live(read?.record), 'verify');
    const reset = record.purpose === 'reset';
    const reserved = await this.limits.reserveCodeCheck(record.purpose, reset ? { email: record.email ?? '' } : { accountId: record.accountId ?? '' });
    if (isRefusal(reserved)) throw rateLimited(TOO_MANY_CODES, reserved.retryAfterSeconds);
    // A reset learns its account only from a right mailed code: asking for the mail told nobody whether there is one.
    const recovered = reset && record.accountId === null ? await this.accounts.findForRecovery(record.email ?? '') : null;
    const accountId = record.accountId ?? recovered?.id ?? null;
    // An authenticator code is checked (and spent) before the atomic step; a mailed one inside it.
    const totpOk = record.method === 'totp' && accountId !== null && (await this.accounts.verifyTotp(accountId, code));
    const profiles = !reset && accountId !== null ? await this.accounts.profiles(accountId) : [];
    const now = this.clock.now();
    const outcome = await this.store.transition<CodeOutcome>(sessionId, (stored) => {
      const current = this.requireStep(this.live(stored), 'verify');
      if (current.method !== 'totp' && now >= current.codeSentAt + this.config.accounts.codeTtlMs) return { result: { kind: 'expired' } };
      const ok = current.method === 'totp' ? totpOk : (current.accountId !== null || recovered !== null) && this.codes.matches(sessionId, code, current.codeCheck);
      if (ok) {
        const next = this.afterCode(current, recovered, profiles);
        return { next, result: { kind: 'accepted', record: next } };
      }
      const failed = current.failedCodes + 1;
      const next = current.with({ step: failed >= MAX_CODE_ATTEMPTS ? 'locked' : 'verify', failedCodes: failed });
      return { next, result: { kind: 'wrong', attemptsLeft: MAX_CODE_ATTEMPTS - failed } };
    }, read);
    if (outcome.kind === 'expired') {
      await reserved.withdrawn();
      throw new StepError('code_expired', 'This code has expired. Send a new one.');
    }
    if (outcome.kind === 'accepted') {
      await reserved.succeeded();
      return this.resultOf(outcome.record, profiles);
    }
    if (outcome.attemptsLeft === 0) {
      this.metrics.lockouts.inc();
      throw new StepError('locked', SIGN_IN_LOCKED_MESSAGE, { attemptsLeft: 0 });
    }
    if (reserved.lastFor !== null) throw rateLimited(TOO_MANY_CODES, reserved.lastFor);
    const plural = outcome.attemptsLeft === 1 ? 'attempt' : 'attempts';
    throw new StepError('wrong_code', `That code is not right. ${outcome.attemptsLeft} ${plural} left.`, {
      attemptsLeft: outcome.attemptsLeft,
    });
  }

  /**
   * Where a right code leads. Signing in: signed in (or the profile step).
   * Resetting: the mailbox is proven, so the account is known now; one with an
   * authenticator app asks for its code next, then (or else) a new password.
   */
  private afterCode(current: SessionRecord, recovered: Account | null, profiles: ProfileChoice[]): SessionRecord {
    if (current.purpose === 'sign-in') return this.signedIn(current, profiles);
    if (current.method === 'totp') return current.with({ step: 'new-password', codeCheck: null });
    const account = recovered!;
    const known = current.with({ accountId: account.id, email: account.email, name: account.name, codeCheck: null });
    if (account.secondFactor === 'totp') return known.with({ method: 'totp', failedCodes: 0 });
    return known.with({ step: 'new-password' });
  }

  /** Moves a session from `from` to signed in (or to the profile step for a household). */
  private async finish(sessionId: string, from: 'new-password' | 'profile', profiles: ProfileChoice[], changes: Partial<SessionFields> = {}): Promise<CodeAcceptedResult> {
    const next = await this.store.transition(sessionId, (stored) => {
      const current = this.requireStep(this.live(stored), from);
      const signedIn = this.signedIn(current.with(changes), profiles);
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

  /** The step's answer; a complete sign-in also makes its browser trusted for the account. */
  private async resultOf(record: SessionRecord, profiles: ProfileChoice[]): Promise<CodeAcceptedResult> {
    switch (record.step) {
      case 'new-password':
        return { authenticated: false, step: 'new-password' };
      case 'profile':
        return { authenticated: false, step: 'profile', profiles };
      case 'verify':
        return { authenticated: false, step: 'verify', purpose: 'reset', delivery: { method: 'totp' } };
      default:
        if (record.device !== null && record.accountId !== null) await this.accounts.trustDevice(record.accountId, record.device);
        return {
          authenticated: true,
          name: record.name ?? '',
          email: record.email ?? '',
          ...(record.profile !== null ? { profile: record.profile } : {}),
        };
    }
  }

  /** Whether a session's sign-in still stands: its account is active and its credentials unchanged since. */
  private async isCurrent(record: SessionRecord): Promise<boolean> {
    if (record.accountId === null || record.epoch === null) return false;
    const account = await this.accounts.findById(record.accountId);
    return account !== null && account.epoch === record.epoch;
  }

  private deviceHash(device: string | undefined): string | null {
    return device ? this.keys.deviceHash(device) : null;
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

