/**
 * The sign-in state machine, per session: credentials → code → (profile) →
 * authenticated, with "Forgot password?" as credentials → mailed code →
 * (authenticator code, when the account has one) → new password. Each step is
 * a unit of its own (credentials.step.ts, code.step.ts, recovery.step.ts,
 * profile.step.ts, hand-over.ts) over the shared store (session-access.ts),
 * reading the record once; this service starts sessions, says where they
 * are, and counts the steps. Tools (../tools), the HTTP API (../api) and the
 * hosted page (../oauth) call in here.
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import {
  type AuthenticateResult,
  type CodeAcceptedResult,
  type CodeDelivery,
  type CodePurpose,
  type CodeSentResult,
  INVALID_SESSION_MESSAGE,
  type PendingStep,
  type ProfileChoice,
  SESSION_EXPIRED_MESSAGE,
  SIGN_IN_LOCKED_MESSAGE,
  type SignedInResult,
} from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { OneTimeCodes } from '../accounts/one-time-codes.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CodeSender } from './code-sender.js';
import { CodeStep } from './code.step.js';
import { CredentialsStep } from './credentials.step.js';
import { HandOver, type HandedOver } from './hand-over.js';
import { ProfileStep } from './profile.step.js';
import { RecoveryStep } from './recovery.step.js';
import { SessionAccess } from './session-access.js';
import { codeAddress, pendingRecord, type SessionRecord } from './session.record.js';
import { SessionStore } from './session.store.js';
import { StepError } from './step-error.js';

export type { HandedOver };

/** How a session looks from outside, without anything secret. */
export type SessionView =
  | { state: 'unknown' }
  | { state: 'expired' }
  | { state: 'locked' }
  | { state: 'pending'; step: PendingStep; purpose?: CodePurpose; delivery?: CodeDelivery; profiles?: ProfileChoice[] }
  | { state: 'authenticated'; name: string; email: string; profile: string | null };

/** The units that carry out the steps. */
@Injectable()
export class SessionSteps {
  constructor(
    readonly credentials: CredentialsStep,
    readonly code: CodeStep,
    readonly sender: CodeSender,
    readonly recovery: RecoveryStep,
    readonly profile: ProfileStep,
    readonly handOver: HandOver,
  ) {}
}

@Injectable()
export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly sessions: SessionAccess,
    private readonly steps: SessionSteps,
    private readonly config: AppConfig,
    private readonly accounts: AccountDirectory,
    private readonly codes: OneTimeCodes,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Starts a pending sign-in; `interaction` binds it to the hosted page's
   * interaction that opened it (only that one may take it over). Throws
   * `unavailable` when the store is full of sign-ins past their credentials.
   */
  async create(options: { interaction?: string } = {}): Promise<{ sessionId: string; expiresAt: Date }> {
    const sessionId = `sess_${randomBytes(18).toString('base64url')}`;
    const expiresAt = this.sessions.now() + this.config.sessionTtlMs;
    if (!(await this.store.insert(sessionId, pendingRecord(expiresAt, options.interaction)))) {
      throw new StepError('unavailable', 'Too many sign-ins in progress. Try again in a few minutes.');
    }
    this.metrics.signInsStarted.inc();
    return { sessionId, expiresAt: new Date(expiresAt) };
  }

  /** The session's state; malformed and unknown ids both read as unknown, a sign-in whose credentials changed since as expired. */
  async view(sessionId: string): Promise<SessionView> {
    return this.viewOf((await this.sessions.read(sessionId))?.record);
  }

  /**
   * The session's state, as `view`, for showing the sign-in form: a pending
   * session is marked opened, so a flood of new sessions evicts it last.
   */
  async open(sessionId: string): Promise<SessionView> {
    const read = await this.sessions.read(sessionId);
    const view = await this.viewOf(read?.record);
    if (read?.record.step === 'credentials' && !read.record.opened && view.state === 'pending') {
      await this.sessions.transition(
        sessionId,
        (record) => (record?.step === 'credentials' && !record.opened ? { next: { ...record, opened: true }, result: null } : { result: null }),
        read,
      );
    }
    return view;
  }

  /**
   * Where the sign-in screens start for this session (`open`, then said as
   * `authenticate-target` says it); refuses a session that cannot go on.
   */
  async screens(sessionId: string): Promise<AuthenticateResult> {
    const view = await this.open(sessionId);
    switch (view.state) {
      case 'unknown':
        throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
      case 'expired':
        throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
      case 'locked':
        throw new StepError('locked', SIGN_IN_LOCKED_MESSAGE, { attemptsLeft: 0 });
      case 'authenticated':
        return { sessionId, authenticated: true, name: view.name, email: view.email, ...(view.profile !== null ? { profile: view.profile } : {}) };
      case 'pending': {
        const { step, purpose, delivery, profiles } = view;
        return { sessionId, authenticated: false, step, ...(purpose && { purpose }), ...(delivery && { delivery }), ...(profiles && { profiles }) };
      }
    }
  }

  /** For the hosted sign-in page: see HandOver.take. */
  handOver(sessionId: string, interaction: string): Promise<HandedOver | null> {
    return this.steps.handOver.take(sessionId, interaction);
  }

  /** Step 1: checks the credentials and sends the code (or asks for the authenticator app's). */
  submitCredentials(sessionId: string, email: string, password: string, options: { altcha?: string; device?: string } = {}): Promise<CodeSentResult> {
    return counted(this.metrics.credentials, this.steps.credentials.submit(sessionId, email, password, options));
  }

  /** Step 2: a correct code signs in, or leads to the profile, authenticator or new-password step; wrong ones count toward the locks. */
  verifyCode(sessionId: string, code: string): Promise<CodeAcceptedResult> {
    return counted(this.metrics.codes, this.steps.code.verify(sessionId, code));
  }

  /** "Forgot password?": queues a reset code for the e-mail typed. */
  startPasswordReset(sessionId: string, email: string, device?: string): Promise<CodeSentResult> {
    return this.steps.recovery.start(sessionId, email, device);
  }

  /** Sends a new code to the session's address (after the cooldown, within the address's sends). */
  resendCode(sessionId: string): Promise<CodeSentResult> {
    return this.steps.sender.resend(sessionId);
  }

  /** After a reset's codes: sets the new password and signs this session in. */
  setPassword(sessionId: string, password: string): Promise<CodeAcceptedResult> {
    return this.steps.recovery.setPassword(sessionId, password);
  }

  /** For a household account: picks who is signing in. */
  selectProfile(sessionId: string, profileId: string): Promise<SignedInResult> {
    return this.steps.profile.select(sessionId, profileId);
  }

  private async viewOf(record: SessionRecord | undefined): Promise<SessionView> {
    if (!record) return { state: 'unknown' };
    if (this.sessions.isExpired(record)) return { state: 'expired' };
    switch (record.step) {
      case 'credentials':
      case 'new-password':
      case 'upstream':
        return { state: 'pending', step: record.step };
      case 'verify':
        return { state: 'pending', step: 'verify', purpose: record.purpose, delivery: record.method === 'totp' ? { method: 'totp' } : this.codes.delivery(codeAddress(record)) };
      case 'profile':
        return { state: 'pending', step: 'profile', profiles: await this.accounts.profiles(record.account.accountId) };
      case 'locked':
        return { state: 'locked' };
      case 'authenticated': {
        const { account, profile } = record;
        if (!(await this.sessions.isCurrent(account))) return { state: 'expired' };
        return { state: 'authenticated', name: account.name, email: account.email, profile };
      }
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
