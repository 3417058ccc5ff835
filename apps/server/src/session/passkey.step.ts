/**
 * Signing a session in with a passkey (checked by ../accounts/passkeys.ts):
 * a passkey with user verification stands for both factors, so no code and
 * no authenticator app are asked; a household still picks its profile. Only
 * a live session waiting for credentials, opened by the same page (the
 * hosted page's interaction, or the account page's browser), takes one.
 */
import { Injectable } from '@nestjs/common';
import { type CodeAcceptedResult, INVALID_SESSION_MESSAGE } from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { type ReadAt, SessionAccess } from './session-access.js';
import { SignInCompletion } from './sign-in-completion.js';
import { StepError } from './step-error.js';

@Injectable()
export class PasskeyStep {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly accounts: AccountDirectory,
    private readonly completion: SignInCompletion,
  ) {}

  /** Throws unless the session can take a passkey sign-in for the page that opened it (`interaction`). */
  async ready(sessionId: string, interaction: string): Promise<void> {
    await this.waiting(sessionId, interaction);
  }

  /** Signs the session in as the passkey's account. */
  async signIn(sessionId: string, interaction: string, accountId: string): Promise<CodeAcceptedResult> {
    const read = await this.waiting(sessionId, interaction);
    const account = await this.accounts.findById(accountId);
    if (!account) throw new StepError('invalid_credentials', 'This Target account cannot sign in.');
    return this.completion.fromCredentials(sessionId, read, account);
  }

  private async waiting(sessionId: string, interaction: string): Promise<ReadAt<'credentials'>> {
    const read = await this.sessions.at(sessionId, 'credentials');
    if (read.record.interaction !== interaction) throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
    return read;
  }
}
