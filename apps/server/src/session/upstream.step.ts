/**
 * Signing in with an upstream provider (Google, Microsoft, any OpenID
 * provider) instead of a password. `begin` records an attempt for a session at
 * the credentials step: a `state` that seals the session's id, a nonce and a
 * PKCE verifier, bound to the browser that begins it (the hash of a cookie set
 * there). `finish` follows a callback's state back to its session, spends the
 * attempt once (a replayed callback finds none), lets the caller check the
 * provider's answer, then signs in as a password would: an account's
 * authenticator is still asked, households pick a profile, disabled accounts
 * stay out, and an identity not linked yet is linked only after the account
 * that has its e-mail is proven by its own code (and authenticator).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CodeAcceptedResult, type CodeSentResult, INVALID_SESSION_MESSAGE, SESSION_EXPIRED_MESSAGE } from '@target-auth/shared/tools';
import { AccountDirectory, type UpstreamIdentity } from '../accounts/account-directory.js';
import { KeyRing } from '../accounts/secret-key.js';
import { AppConfig } from '../config/app-config.js';
import { CodeSender } from './code-sender.js';
import { SessionAccess } from './session-access.js';
import { type AtCredentials, type AtUpstream, carried, holderOf, type SigningIn, type UpstreamAttempt } from './session.record.js';
import { SignInCompletion } from './sign-in-completion.js';
import { StepError } from './step-error.js';

/** Where a finished upstream sign-in left its session, and what the step answers. */
export interface UpstreamFinished {
  sessionId: string;
  /** The hosted page's interaction that opened the session, if any (its browser goes back there). */
  interaction?: string;
  answer: CodeSentResult | CodeAcceptedResult;
}

/** An upstream sign-in that failed once its attempt was spent: the provider's answer refused, or no account for it. */
export class UpstreamFailed extends Error {
  override name = 'UpstreamFailed';

  constructor(
    /** The hosted page's interaction the session belongs to, if any (its browser is sent back there). */
    readonly interaction: string | undefined,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : 'The sign-in failed.', { cause });
  }
}

const NOT_THIS_SIGN_IN = 'This sign-in is over or was started elsewhere. Start again.';
const NOT_THIS_BROWSER = 'Finish signing in in the browser where you started.';

const random = (): string => randomBytes(32).toString('base64url');
const hashOf = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/** Whether `browserSecret` (from a cookie) is the one whose hash a record keeps as `browser`. */
export function isSameBrowser(browserSecret: string | undefined, browser: string): boolean {
  const kept = Buffer.from(browser, 'base64url');
  return browserSecret !== undefined && kept.length === 32 && timingSafeEqual(hashOf(browserSecret), kept);
}

/** A new attempt for `sessionId`, with the secret for the browser's cookie and the hash the record keeps of it. */
export function newAttempt(keys: KeyRing, sessionId: string): { attempt: UpstreamAttempt; browserSecret: string; browser: string } {
  const browserSecret = random();
  return {
    attempt: { state: keys.seal(`${sessionId} ${random()}`, 'upstream'), nonce: random(), verifier: random() },
    browserSecret,
    browser: hashOf(browserSecret).toString('base64url'),
  };
}

@Injectable()
export class UpstreamStep {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly accounts: AccountDirectory,
    private readonly sender: CodeSender,
    private readonly completion: SignInCompletion,
    private readonly keys: KeyRing,
    private readonly config: AppConfig,
  ) {}

  /**
   * Starts (or starts again) an upstream sign-in at `provider` for a session
   * waiting for credentials, opened by `interaction` when it names one. The
   * attempt to send, and the secret for the browser's cookie.
   */
  async begin(sessionId: string, provider: string, interaction?: string): Promise<{ attempt: UpstreamAttempt; browserSecret: string }> {
    const read = await this.sessions.read(sessionId);
    const startable = (record: AtCredentials | AtUpstream | undefined): boolean => record !== undefined && record.interaction === interaction;
    this.beginnable(read?.record, startable);
    const { attempt, browserSecret, browser } = newAttempt(this.keys, sessionId);
    await this.sessions.transition(
      sessionId,
      (stored) => {
        const current = this.beginnable(stored, startable);
        return { next: { step: 'upstream', ...carried(current), provider, attempt, browser }, result: undefined };
      },
      read,
    );
    return { attempt, browserSecret };
  }

  /**
   * Completes the attempt a callback's `state` names, in the browser holding
   * `browserSecret`: spent first, then `check` verifies the provider's answer.
   * A failure after that is an `UpstreamFailed` (its cause says why), the
   * session waiting for credentials again.
   */
  async finish(state: string, provider: string, browserSecret: string | undefined, check: (attempt: UpstreamAttempt) => Promise<UpstreamIdentity>): Promise<UpstreamFinished> {
    const sessionId = this.sessionOf(state);
    const read = await this.sessions.read(sessionId);
    const record = read?.record;
    if (record && record.step !== 'upstream' && this.sessions.isExpired(record)) throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
    if (record?.step !== 'upstream' || !('attempt' in record) || record.provider !== provider || record.attempt.state !== state || this.sessions.isExpired(record)) {
      throw new StepError('invalid_session', NOT_THIS_SIGN_IN);
    }
    if (!isSameBrowser(browserSecret, record.browser)) throw new StepError('invalid_session', NOT_THIS_BROWSER);
    const spent = await this.sessions.transition(
      sessionId,
      (current) => {
        if (current?.step !== 'upstream' || !('attempt' in current) || current.attempt.state !== state) return { result: false };
        return { next: { step: 'credentials', ...carried(current), opened: true }, result: true };
      },
      read,
    );
    if (!spent) throw new StepError('invalid_session', NOT_THIS_SIGN_IN);
    try {
      const answer = await this.signIn(sessionId, await check(record.attempt));
      return { sessionId, ...(record.interaction !== undefined && { interaction: record.interaction }), answer };
    } catch (error) {
      throw new UpstreamFailed(record.interaction, error);
    }
  }

  private async signIn(sessionId: string, identity: UpstreamIdentity): Promise<CodeSentResult | CodeAcceptedResult> {
    const resolved = await this.accounts.resolveIdentity(identity, { signup: this.config.upstream.signup });
    if (resolved.kind === 'refused') throw new StepError('invalid_credentials', resolved.message);
    const read = await this.sessions.at(sessionId, 'credentials');
    const { account } = resolved;
    if (resolved.kind === 'prove') {
      return this.sender.send(sessionId, read, account.email, 'link', (current, code, now) => ({
        step: 'verify',
        purpose: 'link',
        ...carried(current),
        ...code,
        account: holderOf(account),
        identity,
        secondFactor: account.secondFactor,
        failedCodes: 0,
        codeSentAt: now,
      }));
    }
    if (account.secondFactor === 'totp') {
      const now = this.sessions.now();
      await this.sessions.transition(
        sessionId,
        (stored) => {
          const next: SigningIn = { step: 'verify', purpose: 'sign-in', method: 'totp', ...carried(this.sessions.require(stored, 'credentials')), account: holderOf(account), failedCodes: 0, codeSentAt: now };
          return { next, result: undefined };
        },
        read,
      );
      return { step: 'verify', purpose: 'sign-in', delivery: { method: 'totp' } };
    }
    return this.completion.fromCredentials(sessionId, read, account);
  }

  /** The session id a state seals; a state this server did not make names none. */
  private sessionOf(state: string): string {
    try {
      return this.keys.open(state, 'upstream').split(' ')[0]!;
    } catch {
      throw new StepError('invalid_session', NOT_THIS_SIGN_IN);
    }
  }

  /** A live session an upstream sign-in may begin from: at credentials, or away at a provider already (a new attempt replaces that one). */
  private beginnable(record: Parameters<SessionAccess['require']>[0], startable: (record: AtCredentials | AtUpstream) => boolean): AtCredentials | AtUpstream {
    const current = record?.step === 'upstream' && !this.sessions.isExpired(record) ? record : this.sessions.require(record, 'credentials');
    if (!startable(current)) throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
    return current;
  }
}
