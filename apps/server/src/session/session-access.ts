/**
 * What every sign-in step shares: reading a session once (a malformed id is
 * never looked up), refusing one that is unknown, expired or at another step
 * with the message that says where it is, writing the next record from that
 * read, and telling whether a proven sign-in still stands.
 */
import { Injectable } from '@nestjs/common';
import { INVALID_SESSION_MESSAGE, SESSION_EXPIRED_MESSAGE, SESSION_ID_PATTERN, SIGN_IN_LOCKED_MESSAGE } from '@target-auth/shared/tools';
import { AccountDirectory } from '../accounts/account-directory.js';
import { KeyRing } from '../accounts/secret-key.js';
import { Clock } from '../common/clock.js';
import type { Holder, RecordAt, SessionRecord, SessionStep } from './session.record.js';
import { SessionStore, type Transition, type Versioned } from './session.store.js';
import { StepError } from './step-error.js';

/** The steps a request can act on. */
export type ActiveStep = Exclude<SessionStep, 'authenticated' | 'locked'>;

/** A session read at one step: its record, and the version the step's write starts from. */
export type ReadAt<S extends SessionStep> = Versioned & { record: RecordAt<S> };

const WHERE_IT_IS: Record<SessionStep, () => StepError> = {
  locked: () => new StepError('locked', SIGN_IN_LOCKED_MESSAGE, { attemptsLeft: 0 }),
  authenticated: () => new StepError('wrong_step', 'This session is already signed in.'),
  verify: () => new StepError('wrong_step', 'A code was sent: enter the 6-digit code.'),
  credentials: () => new StepError('wrong_step', 'Enter your email and password first.'),
  upstream: () => new StepError('wrong_step', 'Finish signing in in the other tab, or start again.'),
  profile: () => new StepError('wrong_step', 'Choose who is signing in.'),
  'new-password': () => new StepError('wrong_step', 'Choose a new password.'),
};

@Injectable()
export class SessionAccess {
  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    private readonly accounts: AccountDirectory,
    private readonly keys: KeyRing,
  ) {}

  now(): number {
    return this.clock.now();
  }

  /** The record and its version, or undefined for an unknown (or malformed) id. One round trip. */
  read(sessionId: string): Promise<Versioned | undefined> {
    return SESSION_ID_PATTERN.test(sessionId) ? this.store.read(sessionId) : Promise.resolve(undefined);
  }

  /** A live session at `step`, read once; throws where it is otherwise. */
  async at<S extends ActiveStep>(sessionId: string, step: S): Promise<ReadAt<S>> {
    const read = await this.read(sessionId);
    this.require(read?.record, step);
    return read as ReadAt<S>;
  }

  /** `record` when it is live and at `step`; else the refusal that says where it is. */
  require<S extends ActiveStep>(record: SessionRecord | undefined, step: S): RecordAt<S> {
    if (!record) throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
    if (this.isExpired(record)) throw new StepError('expired', SESSION_EXPIRED_MESSAGE);
    if (record.step !== step) throw WHERE_IT_IS[record.step]();
    return record as RecordAt<S>;
  }

  /** Reads, decides and writes atomically; `from`, a read just made, spares the store its own. */
  transition<T>(sessionId: string, decide: (record: SessionRecord | undefined) => Transition<T>, from?: Versioned): Promise<T> {
    return this.store.transition(sessionId, decide, from);
  }

  isExpired(record: SessionRecord): boolean {
    return this.clock.now() >= record.expiresAt;
  }

  /** Whether a proven sign-in still stands: its account is active and its credentials unchanged since. */
  async isCurrent(holder: Holder): Promise<boolean> {
    const account = await this.accounts.findById(holder.accountId);
    return account !== null && account.epoch === holder.epoch;
  }

  /** The device field for a record: the hash of the browser's device secret, when it sent one. */
  device(secret: string | undefined): { device?: string } {
    return secret ? { device: this.keys.deviceHash(secret) } : {};
  }
}
