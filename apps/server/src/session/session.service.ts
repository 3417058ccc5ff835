/**
 * The sign-in state machine: credentials → code → authenticated, per session,
 * with expiry by the injected clock and a lockout after too many wrong codes.
 * Tools (../tools) and the HTTP API (../api) both call into this service.
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import {
  type CredentialsAcceptedResult,
  INVALID_SESSION_MESSAGE,
  MAX_CODE_ATTEMPTS,
  type PendingStep,
  SESSION_EXPIRED_MESSAGE,
  SESSION_ID_PATTERN,
  SIGN_IN_LOCKED_MESSAGE,
  type SignedInResult,
} from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { OneTimeCodes } from '../accounts/one-time-codes.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Clock } from './clock.js';
import { SessionRecord } from './session.record.js';
import { SessionStore } from './session.store.js';
import { StepError } from './step-error.js';

/** How a session looks from outside, without anything secret. */
export type SessionView =
  | { state: 'unknown' }
  | { state: 'expired' }
  | { state: 'locked' }
  | { state: 'pending'; step: PendingStep }
  | { state: 'authenticated'; name: string; email: string };

type CodeOutcome = { ok: true; name: string; email: string } | { ok: false; attemptsLeft: number };


@Injectable()
export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly accounts: AccountDirectory,
    private readonly codes: OneTimeCodes,
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
      case 'verify':
        return { state: 'pending', step: record.step };
      case 'locked':
        return { state: 'locked' };
      case 'authenticated':
        return { state: 'authenticated', name: record.name ?? '', email: record.email ?? '' };
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
        return { next: new SessionRecord(record.expiresAt, 'credentials', 0, null, null, null, true), result: null };
      });
    }
    return view;
  }

  /** Step 1: checks the credentials and moves the session to the code step. */
  submitCredentials(sessionId: string, email: string, password: string): Promise<CredentialsAcceptedResult> {
    return counted(this.metrics.credentials, this.checkCredentials(sessionId, email, password));
  }

  /** Step 2: a correct code authenticates the session; wrong ones count toward the lockout. */
  verifyCode(sessionId: string, code: string): Promise<SignedInResult> {
    return counted(this.metrics.codes, this.checkCode(sessionId, code));
  }

  private async checkCredentials(sessionId: string, email: string, password: string): Promise<CredentialsAcceptedResult> {
    this.requireStep(await this.readLive(sessionId), 'credentials');
    const account = await this.accounts.verifyCredentials(email, password);
    if (!account) throw new StepError('invalid_credentials', 'Email or password is incorrect.');
    const codeCheck = await this.codes.issue(account);
    return this.store.transition(sessionId, (record) => {
      // Re-check inside the atomic step: another request may have moved it on.
      const current = this.requireStep(this.live(record), 'credentials');
      const next = new SessionRecord(current.expiresAt, 'verify', 0, account.email, account.name, codeCheck);
      return { next, result: { step: 'verify' } };
    });
  }

  private async checkCode(sessionId: string, code: string): Promise<SignedInResult> {
    await this.readLive(sessionId);
    const outcome = await this.store.transition<CodeOutcome>(sessionId, (record) => {
      const current = this.requireStep(this.live(record), 'verify');
      if (this.codes.matches(code, current.codeCheck)) {
        const expiresAt = this.clock.now() + this.config.sessionTtlMs;
        const next = new SessionRecord(expiresAt, 'authenticated', current.failedCodes, current.email, current.name);
        return { next, result: { ok: true, name: current.name ?? '', email: current.email ?? '' } };
      }
      const failed = current.failedCodes + 1;
      const step = failed >= MAX_CODE_ATTEMPTS ? 'locked' : 'verify';
      const next = new SessionRecord(current.expiresAt, step, failed, current.email, current.name, current.codeCheck);
      return { next, result: { ok: false, attemptsLeft: MAX_CODE_ATTEMPTS - failed } };
    });
    if (outcome.ok) return { authenticated: true, name: outcome.name, email: outcome.email };
    if (outcome.attemptsLeft === 0) {
      this.metrics.lockouts.inc();
      throw new StepError('locked', SIGN_IN_LOCKED_MESSAGE, { attemptsLeft: 0 });
    }
    const plural = outcome.attemptsLeft === 1 ? 'attempt' : 'attempts';
    throw new StepError('wrong_code', `That code is not right. ${outcome.attemptsLeft} ${plural} left.`, {
      attemptsLeft: outcome.attemptsLeft,
    });
  }

  private isExpired(record: SessionRecord): boolean {
    return this.clock.now() >= record.expiresAt;
  }

  private async readLive(sessionId: string): Promise<SessionRecord> {
    return this.live(await this.read(sessionId));
  }

  /** The only read of the store: a malformed id is never looked up, and reads as unknown. */
  private read(sessionId: string): Promise<SessionRecord | undefined> {
    return SESSION_ID_PATTERN.test(sessionId) ? this.store.get(sessionId) : Promise.resolve(undefined);
  }

  private live(record: SessionRecord | undefined): SessionRecord {
    if (!record) throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
    if (this.isExpired(record)) throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
    return record;
  }

  private requireStep(record: SessionRecord, step: 'credentials' | 'verify'): SessionRecord {
    if (record.step === step) return record;
    switch (record.step) {
      case 'locked':
        throw new StepError('locked', SIGN_IN_LOCKED_MESSAGE, { attemptsLeft: 0 });
      case 'authenticated':
        throw new StepError('wrong_step', 'This session is already signed in.');
      case 'verify':
        throw new StepError('wrong_step', 'Credentials were already accepted: enter the 6-digit code.');
      case 'credentials':
        throw new StepError('wrong_step', 'Enter your email and password first.');
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
