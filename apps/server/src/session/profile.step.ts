/** A household account: who is signing in, picked from the account's profiles. */
import { Injectable } from '@nestjs/common';
import { SESSION_EXPIRED_MESSAGE, type SignedInResult } from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { SessionAccess } from './session-access.js';
import { SignInCompletion } from './sign-in-completion.js';
import { StepError } from './step-error.js';

@Injectable()
export class ProfileStep {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly accounts: AccountDirectory,
    private readonly completion: SignInCompletion,
  ) {}

  async select(sessionId: string, profileId: string): Promise<SignedInResult> {
    const read = await this.sessions.at(sessionId, 'profile');
    const { account } = read.record;
    if (!(await this.sessions.isCurrent(account))) throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
    const profile = (await this.accounts.profiles(account.accountId)).find((candidate) => candidate.id === profileId);
    if (!profile) throw new StepError('invalid_input', 'Choose one of the profiles shown.');
    return (await this.completion.complete(sessionId, read, [profile])) as SignedInResult;
  }
}
