/**
 * Signing a session in with a passkey (checked by ../accounts/passkeys.ts):
 * a passkey with user verification stands for both factors, so no code and
 * no authenticator app are asked; a household still picks its profile. Only
 * the page that may take the session signs it in: the page that opened it
 * (the hosted page's interaction, the account page's browser), at the
 * credentials step; or, for a chat, the browser its passkey hand-off went to
 * (the pass in that browser's cookie, upstream-hand-off.ts).
 */
import { Injectable } from '@nestjs/common';
import { type CodeAcceptedResult, INVALID_SESSION_MESSAGE, SESSION_EXPIRED_MESSAGE } from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { KeyRing } from '../accounts/secret-key.js';
import { SessionAccess } from './session-access.js';
import type { AtCredentials, PasskeyAway, SessionRecord } from './session.record.js';
import type { Versioned } from './session.store.js';
import { SignInCompletion } from './sign-in-completion.js';
import { StepError } from './step-error.js';
import { openPass } from './upstream-hand-off.js';
import { isSameBrowser } from './upstream.step.js';

/** The page asking: one that opened `sessionId` as `interaction`, or the browser holding a chat's pass. */
export type PasskeyPage = { sessionId: string; interaction: string } | { pass: string };

export const PASS_SPENT_MESSAGE = 'This passkey sign-in is over or was started elsewhere. Start again from the chat.';

/** The session a page may sign in, as read, and the check its write repeats. */
interface Waiting {
  sessionId: string;
  read: Versioned;
  current: (record: SessionRecord | undefined) => AtCredentials | PasskeyAway;
}

@Injectable()
export class PasskeyStep {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly accounts: AccountDirectory,
    private readonly completion: SignInCompletion,
    private readonly keys: KeyRing,
  ) {}

  /** The session `page` may sign in with a passkey now; throws why not. */
  async ready(page: PasskeyPage): Promise<string> {
    return (await this.waiting(page)).sessionId;
  }

  /** The session `page` names (without reading it): a pass that is not one names none. */
  sessionOf(page: PasskeyPage): string {
    if ('interaction' in page) return page.sessionId;
    const opened = openPass(this.keys, page.pass);
    if (!opened) throw new StepError('invalid_session', PASS_SPENT_MESSAGE);
    return opened.sessionId;
  }

  /** Signs the session `page` may sign in as the passkey's account. */
  async signIn(page: PasskeyPage, accountId: string): Promise<CodeAcceptedResult> {
    const { sessionId, read, current } = await this.waiting(page);
    const account = await this.accounts.findById(accountId);
    if (!account) throw new StepError('invalid_credentials', 'This Target account cannot sign in.');
    return this.completion.fromCredentials(sessionId, read, account, current);
  }

  private async waiting(page: PasskeyPage): Promise<Waiting> {
    if ('interaction' in page) {
      const current = (record: SessionRecord | undefined): AtCredentials => {
        const waiting = this.sessions.require(record, 'credentials');
        if (waiting.interaction !== page.interaction) throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
        return waiting;
      };
      const read = await this.sessions.at(page.sessionId, 'credentials');
      current(read.record);
      return { sessionId: page.sessionId, read, current };
    }
    const opened = openPass(this.keys, page.pass);
    if (!opened) throw new StepError('invalid_session', PASS_SPENT_MESSAGE);
    const current = (record: SessionRecord | undefined): PasskeyAway => {
      if (record && this.sessions.isExpired(record)) throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
      // Only a chat's passkey hand-off, claimed in this very browser, has a browser and no provider attempt.
      if (record?.step !== 'upstream' || !('browser' in record) || 'attempt' in record || !isSameBrowser(opened.browserSecret, record.browser)) {
        throw new StepError('invalid_session', PASS_SPENT_MESSAGE);
      }
      return record;
    };
    const read = await this.sessions.read(opened.sessionId);
    current(read?.record);
    return { sessionId: opened.sessionId, read: read!, current };
  }
}
