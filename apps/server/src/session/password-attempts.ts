/**
 * Whether a password may be checked now, and what it costs (the lockout policy
 * of sign-in-limits.ts, as the sign-in step applies it). A browser the account
 * trusts counts on its own budget; any other counts on the account's, pays a
 * proof of work from the 3rd failure (costlier after each beyond the 5th), and
 * waits only past the day's ceiling. Partner: session.service.ts.
 */
import { Injectable } from '@nestjs/common';
import { AccountDirectory } from '../accounts/account-directory.js';
import { ProofOfWork } from '../accounts/proof-of-work.js';
import { type Attempt, isRefusal, LIMITS, SignInLimits } from '../accounts/sign-in-limits.js';
import { rateLimited, StepError } from './step-error.js';

export const TOO_MANY_PASSWORDS = 'Too many failed sign-ins for this account.';

@Injectable()
export class PasswordAttempts {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly limits: SignInLimits,
    private readonly proofOfWork: ProofOfWork,
  ) {}

  /**
   * Reserves one password attempt for `email` from the browser whose device
   * hash is given (if any). Throws `rate_limited` past the ceiling, or
   * `challenge_required` (with a challenge) when a proof of work is due and
   * `altcha` is not a good one. The attempt counts as a failure unless the
   * caller says it succeeded.
   */
  async reserve(email: string, deviceHash: string | null, altcha: string | undefined): Promise<Attempt> {
    if (deviceHash !== null && (await this.accounts.isTrustedDevice(email, deviceHash))) {
      const trusted = await this.limits.reserveTrustedAttempt(email, deviceHash);
      if (trusted) return trusted;
    }
    const reserved = await this.limits.reserveUntrustedAttempt(email);
    if (isRefusal(reserved)) throw rateLimited(TOO_MANY_PASSWORDS, reserved.retryAfterSeconds);
    const { attempt, priorFailures } = reserved;
    if (priorFailures >= LIMITS.challengeAfterFailures && !(altcha && (await this.proofOfWork.verify(altcha, priorFailures)))) {
      await attempt.withdrawn();
      throw new StepError('challenge_required', 'Checking your browser…', { challenge: await this.proofOfWork.create(priorFailures) });
    }
    return attempt;
  }
}
