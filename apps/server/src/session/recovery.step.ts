/**
 * "Forgot password?": a reset code to the e-mail typed, then (after the code
 * step has proven the mailbox, and the authenticator when there is one) the
 * new password, which ends every sign-in made with the old one.
 */
import { Injectable } from '@nestjs/common';
import type { CodeAcceptedResult, CodeSentResult } from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { WeakPasswordError } from '../accounts/passwords.js';
import { CodeSender } from './code-sender.js';
import { SessionAccess } from './session-access.js';
import { carried } from './session.record.js';
import { SignInCompletion } from './sign-in-completion.js';
import { StepError } from './step-error.js';

@Injectable()
export class RecoveryStep {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly accounts: AccountDirectory,
    private readonly sender: CodeSender,
    private readonly completion: SignInCompletion,
  ) {}

  /**
   * Queues a reset code for `email`. Nothing here looks the account up: the
   * answer, its time and the mail budget are the same for every address, and
   * only the mailbox of an active account gets the code.
   */
  async start(sessionId: string, email: string, deviceSecret?: string): Promise<CodeSentResult> {
    const read = await this.sessions.at(sessionId, 'credentials');
    const device = this.sessions.device(deviceSecret);
    return this.sender.send(sessionId, read, email, 'reset', (current, code, now) => ({
      step: 'verify',
      purpose: 'reset',
      ...carried(current),
      ...device,
      ...code,
      email,
      failedCodes: 0,
      codeSentAt: now,
    }));
  }

  /** Sets the new password (policy checked), which ends every sign-in made with the old one, and signs this session in. */
  async setPassword(sessionId: string, password: string): Promise<CodeAcceptedResult> {
    const read = await this.sessions.at(sessionId, 'new-password');
    const { account, device } = read.record;
    let epoch: number;
    try {
      epoch = await this.accounts.setPassword(account.accountId, account.email, password, device);
    } catch (error) {
      if (error instanceof WeakPasswordError) throw new StepError('weak_password', error.message);
      throw error;
    }
    return this.completion.complete(sessionId, read, await this.accounts.profiles(account.accountId), { epoch });
  }
}
