/**
 * Step 2: a code, mailed or from the authenticator app. A right one signs in
 * (or leads to the profile step); for a reset it proves the mailbox, then the
 * authenticator when the account has one, then leads to a new password. Wrong
 * ones count toward the session's lock (MAX_CODE_ATTEMPTS) and the account's
 * budget, reserved before the check so parallel guesses cannot overshoot it.
 */
import { Injectable } from '@nestjs/common';
import { type CodeAcceptedResult, MAX_CODE_ATTEMPTS, type ProfileChoice, SIGN_IN_LOCKED_MESSAGE } from '@target-auth/shared/tools';
import { type Account, AccountDirectory } from '../accounts/account-directory.js';
import { OneTimeCodes } from '../accounts/one-time-codes.js';
import { isRefusal, SignInLimits } from '../accounts/sign-in-limits.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { SessionAccess } from './session-access.js';
import { type AtNewPassword, type AtProfile, type AtVerify, carried, codeAddress, holderOf, type PendingIdentity, type SignedIn } from './session.record.js';
import { SignInCompletion } from './sign-in-completion.js';
import { rateLimited, StepError } from './step-error.js';

/** Where a right code can lead. */
type Reached = AtVerify | AtNewPassword | AtProfile | SignedIn;
/** A right code: where it led, and the upstream identity to link once every factor of the account was proven. */
type Outcome = { kind: 'accepted'; record: Reached; link?: PendingIdentity } | { kind: 'expired' } | { kind: 'wrong'; attemptsLeft: number };

const TOO_MANY_CODES = 'Too many wrong codes for this account.';

@Injectable()
export class CodeStep {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly accounts: AccountDirectory,
    private readonly codes: OneTimeCodes,
    private readonly limits: SignInLimits,
    private readonly completion: SignInCompletion,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async verify(sessionId: string, code: string): Promise<CodeAcceptedResult> {
    const read = await this.sessions.at(sessionId, 'verify');
    const { record } = read;
    const reserved = await this.limits.reserveCodeCheck(
      record.purpose,
      record.purpose === 'reset' ? { email: codeAddress(record) } : { accountId: record.account.accountId },
    );
    if (isRefusal(reserved)) throw rateLimited(TOO_MANY_CODES, reserved.retryAfterSeconds);
    // A reset learns its account only from a right mailed code: asking for the mail told nobody whether there is one.
    const recovered = 'account' in record ? null : await this.accounts.findForRecovery(record.email);
    // An authenticator code is checked (and spent) before the atomic step; a mailed one inside it.
    const totpOk = record.method === 'totp' && (await this.accounts.verifyTotp(record.account.accountId, code));
    const profiles = record.purpose !== 'reset' ? await this.accounts.profiles(record.account.accountId) : [];
    const now = this.sessions.now();
    const outcome = await this.sessions.transition<Outcome>(
      sessionId,
      (stored) => {
        const current = this.sessions.require(stored, 'verify');
        if (current.method !== 'totp' && now >= current.codeSentAt + this.config.accounts.codeTtlMs) return { result: { kind: 'expired' } };
        const ok =
          current.method === 'totp' ? totpOk : ('account' in current || recovered !== null) && this.codes.matches(sessionId, code, current.codeCheck);
        if (ok) {
          const next = this.afterCode(current, recovered, profiles);
          const link = current.purpose === 'link' && next.step !== 'verify' ? current.identity : undefined;
          return { next, result: { kind: 'accepted', record: next, ...(link && { link }) } };
        }
        const failed = current.failedCodes + 1;
        if (failed >= MAX_CODE_ATTEMPTS) return { next: { step: 'locked', ...carried(current) }, result: { kind: 'wrong', attemptsLeft: 0 } };
        return { next: { ...current, failedCodes: failed }, result: { kind: 'wrong', attemptsLeft: MAX_CODE_ATTEMPTS - failed } };
      },
      read,
    );
    if (outcome.kind === 'expired') {
      await reserved.withdrawn();
      throw new StepError('code_expired', 'This code has expired. Send a new one.');
    }
    if (outcome.kind === 'accepted') {
      await reserved.succeeded();
      // Proven by its code (and its authenticator): the identity joins the account. Linked meanwhile elsewhere: left as it is.
      if (outcome.link && 'account' in outcome.record) await this.accounts.linkIdentity(outcome.record.account.accountId, outcome.link);
      return this.completion.answer(outcome.record, profiles);
    }
    if (outcome.attemptsLeft === 0) {
      this.metrics.lockouts.inc();
      throw new StepError('locked', SIGN_IN_LOCKED_MESSAGE, { attemptsLeft: 0 });
    }
    if (reserved.lastFor !== null) throw rateLimited(TOO_MANY_CODES, reserved.lastFor);
    const plural = outcome.attemptsLeft === 1 ? 'attempt' : 'attempts';
    throw new StepError('wrong_code', `That code is not right. ${outcome.attemptsLeft} ${plural} left.`, { attemptsLeft: outcome.attemptsLeft });
  }

  /**
   * Where a right code leads. Signing in: signed in (or the profile step).
   * Resetting: the mailbox is proven, so the account is known now; one with an
   * authenticator app asks for its code next, then (or else) a new password.
   */
  private afterCode(current: AtVerify, recovered: Account | null, profiles: ProfileChoice[]): Reached {
    if (current.purpose === 'sign-in') return this.completion.signedIn(current, current.account, profiles);
    if (current.purpose === 'link') {
      // The mailbox proven, an account with an authenticator asks for its code before anything is linked.
      if (current.method !== 'totp' && current.secondFactor === 'totp') {
        const { account, identity } = current;
        return { step: 'verify', purpose: 'link', method: 'totp', ...carried(current), account, identity, failedCodes: 0, codeSentAt: current.codeSentAt };
      }
      return this.completion.signedIn(current, current.account, profiles);
    }
    if ('account' in current) return { step: 'new-password', ...carried(current), account: current.account };
    const account = holderOf(recovered!);
    if (recovered!.secondFactor === 'totp') {
      return { step: 'verify', purpose: 'reset', method: 'totp', ...carried(current), account, failedCodes: 0, codeSentAt: current.codeSentAt };
    }
    return { step: 'new-password', ...carried(current), account };
  }
}
