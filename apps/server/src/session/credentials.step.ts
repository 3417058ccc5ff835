/**
 * Step 1: the e-mail and password. A password attempt is reserved from the
 * account's budget before the check (a wrong one keeps it: it counts as a
 * failure); right ones lead to a mailed code, or to the authenticator app's.
 */
import { Injectable } from '@nestjs/common';
import type { CodeSentResult } from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { CodeSender } from './code-sender.js';
import { PasswordAttempts } from './password-attempts.js';
import { SessionAccess } from './session-access.js';
import { type AtCredentials, carried, holderOf, type SigningIn } from './session.record.js';
import { StepError } from './step-error.js';

const INVALID_CREDENTIALS = 'Email or password is incorrect.';

@Injectable()
export class CredentialsStep {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly accounts: AccountDirectory,
    private readonly passwords: PasswordAttempts,
    private readonly sender: CodeSender,
  ) {}

  /** Checks the credentials and sends the code (or asks for the authenticator app's). */
  async submit(sessionId: string, email: string, password: string, options: { altcha?: string; device?: string }): Promise<CodeSentResult> {
    const read = await this.sessions.at(sessionId, 'credentials');
    const device = this.sessions.device(options.device);
    const attempt = await this.passwords.reserve(email, device.device ?? null, options.altcha);
    const found = await this.accounts.verifyCredentials(email, password);
    if (!found) throw new StepError('invalid_credentials', INVALID_CREDENTIALS);
    await attempt.succeeded();
    const account = holderOf(found);
    const waiting = (current: AtCredentials, now: number) => ({ step: 'verify' as const, purpose: 'sign-in' as const, ...carried(current), ...device, account, failedCodes: 0, codeSentAt: now });
    if (found.secondFactor === 'totp') {
      const now = this.sessions.now();
      await this.sessions.transition(
        sessionId,
        (stored) => ({ next: { ...waiting(this.sessions.require(stored, 'credentials'), now), method: 'totp' } satisfies SigningIn, result: undefined }),
        read,
      );
      return { step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } };
    }
    return this.sender.send(sessionId, read, email, 'sign-in', (current, code, now) => ({ ...waiting(current, now), ...code }));
  }
}
