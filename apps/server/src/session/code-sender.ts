/**
 * Mailing a code: the first one of a sign-in or a reset, and a resend. Each
 * reserves a mail from the address's budget, moves the session to its code
 * step from the read it was given, then queues the code; a code that cannot be
 * queued puts a first send back at credentials.
 */
import { Injectable, Logger } from '@nestjs/common';
import { type CodePurpose, type CodeSentResult, RESEND_COOLDOWN_SECONDS } from '@target-auth/shared/tools';
import { kindOf } from '../accounts/mail-outbox.js';
import { OneTimeCodes } from '../accounts/one-time-codes.js';
import { SignInLimits } from '../accounts/sign-in-limits.js';
import { AppConfig } from '../config/app-config.js';
import { type ReadAt, SessionAccess } from './session-access.js';
import { type AtVerify, carried, codeAddress, type SessionRecord } from './session.record.js';
import { rateLimited, StepError } from './step-error.js';

/** A new mailed code as the record keeps it. */
export interface MailedCode {
  method: 'email' | 'demo';
  codeCheck: string;
}

const CODE_SEND_FAILED = "We couldn't send your code. Try again in a moment.";
const JUST_SENT = 'A code was just sent.';

@Injectable()
export class CodeSender {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly sessions: SessionAccess,
    private readonly codes: OneTimeCodes,
    private readonly limits: SignInLimits,
    private readonly config: AppConfig,
  ) {}

  /**
   * Sends a code to `email` and moves the session read at `from` to `next`
   * (which may refuse by throwing). The move is made only while the session is
   * still at that step, so two racing requests queue one code, not two.
   */
  async send<S extends 'credentials' | 'verify'>(
    sessionId: string,
    from: ReadAt<S>,
    email: string,
    purpose: CodePurpose,
    next: (current: ReadAt<S>['record'], code: MailedCode, now: number) => AtVerify,
  ): Promise<CodeSentResult> {
    const refused = await this.limits.reserveSend(email, purpose);
    if (refused) throw rateLimited('Too many codes were sent to this address.', refused.retryAfterSeconds);
    const issued = this.codes.create(sessionId);
    const delivery = this.codes.delivery(email);
    const code: MailedCode = { method: delivery.method, codeCheck: issued.check };
    const now = this.sessions.now();
    const step = (from.record as SessionRecord).step as S;
    await this.sessions.transition(sessionId, (stored) => ({ next: next(this.sessions.require(stored, step), code, now), result: undefined }), from);
    try {
      await this.codes.deliver(email, issued.code, purpose, now + this.config.accounts.codeTtlMs);
    } catch (error) {
      this.logger.error(`Code not queued: ${kindOf(error)}`);
      if (step === 'credentials') await this.undo(sessionId, issued.check);
      throw new StepError('unavailable', CODE_SEND_FAILED);
    }
    return { step: 'verify', purpose, delivery };
  }

  /** Sends a new code to the session's address, after the cooldown and within the address's sends. */
  async resend(sessionId: string): Promise<CodeSentResult> {
    const read = await this.sessions.at(sessionId, 'verify');
    const { record } = read;
    if (record.method === 'totp') throw new StepError('wrong_step', 'Enter the code from your authenticator app.');
    const waited = (this.sessions.now() - record.codeSentAt) / 1000;
    if (waited < RESEND_COOLDOWN_SECONDS) throw rateLimited(JUST_SENT, RESEND_COOLDOWN_SECONDS - waited);
    return this.send(sessionId, read, codeAddress(record), record.purpose, (current, code, now) => {
      // Another request sent one since this one read the session.
      if (current.method === 'totp' || current.codeSentAt !== record.codeSentAt) throw rateLimited(JUST_SENT, RESEND_COOLDOWN_SECONDS);
      return { ...current, ...code, codeSentAt: now };
    });
  }

  /** Back to credentials after a first code that could not be queued, unless the session has moved on since. */
  private undo(sessionId: string, codeCheck: string): Promise<void> {
    return this.sessions.transition(sessionId, (record) => {
      if (record?.step !== 'verify' || record.method === 'totp' || record.codeCheck !== codeCheck) return { result: undefined };
      return { next: { step: 'credentials', ...carried(record), opened: true }, result: undefined };
    });
  }
}
