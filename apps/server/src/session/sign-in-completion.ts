/**
 * How a sign-in ends once every factor is proven: signed in for a fresh TTL,
 * or first at the profile step for a household; and the answer a step gives,
 * a complete sign-in also making its browser trusted for the account.
 */
import { Injectable } from '@nestjs/common';
import type { CodeAcceptedResult, ProfileChoice } from '@target-auth/shared/tools';
import { type Account, AccountDirectory } from '../accounts/account-directory.js';
import { AppConfig } from '../config/app-config.js';
import { type ReadAt, SessionAccess } from './session-access.js';
import type { Versioned } from './session.store.js';
import { type AtNewPassword, type AtProfile, type AtVerify, carried, type Holder, holderOf, type SessionRecord, type SignedIn } from './session.record.js';

@Injectable()
export class SignInCompletion {
  constructor(
    private readonly sessions: SessionAccess,
    private readonly accounts: AccountDirectory,
    private readonly config: AppConfig,
  ) {}

  /** The record after `current`, for `account`: signed in when one profile (or none) applies, else at the profile step. */
  signedIn(current: SessionRecord, account: Holder, profiles: ProfileChoice[]): AtProfile | SignedIn {
    if (profiles.length > 1) return { step: 'profile', ...carried(current), account };
    const expiresAt = this.sessions.now() + this.config.sessionTtlMs;
    return { step: 'authenticated', ...carried(current), expiresAt, account, profile: profiles[0]?.name ?? null };
  }

  /**
   * Signs in a session read at credentials for `account`, every factor proven
   * there (an upstream identity, a passkey); `current` is the check the write
   * repeats (by default: still live at credentials).
   */
  async fromCredentials(
    sessionId: string,
    from: Versioned,
    account: Account,
    current: (stored: SessionRecord | undefined) => SessionRecord = (stored) => this.sessions.require(stored, 'credentials'),
  ): Promise<CodeAcceptedResult> {
    const profiles = await this.accounts.profiles(account.id);
    const next = await this.sessions.transition(
      sessionId,
      (stored) => {
        const signedIn = this.signedIn(current(stored), holderOf(account), profiles);
        return { next: signedIn, result: signedIn };
      },
      from,
    );
    return this.answer(next, profiles);
  }

  /** Signs in a session read at the new-password or profile step, its holder changed by `changes` (a new epoch). */
  async complete(sessionId: string, from: ReadAt<'new-password' | 'profile'>, profiles: ProfileChoice[], changes: Partial<Holder> = {}): Promise<CodeAcceptedResult> {
    const step = from.record.step;
    const next = await this.sessions.transition(
      sessionId,
      (stored) => {
        const current = this.sessions.require(stored, step);
        const signedIn = this.signedIn(current, { ...current.account, ...changes }, profiles);
        return { next: signedIn, result: signedIn };
      },
      from,
    );
    return this.answer(next, profiles);
  }

  /** What a step that moved the session to `record` answers. */
  async answer(record: AtVerify | AtNewPassword | AtProfile | SignedIn, profiles: ProfileChoice[]): Promise<CodeAcceptedResult> {
    switch (record.step) {
      case 'new-password':
        return { authenticated: false, step: 'new-password' };
      case 'profile':
        return { authenticated: false, step: 'profile', profiles };
      case 'verify':
        return { authenticated: false, step: 'verify', purpose: record.purpose === 'link' ? 'link' : 'reset', delivery: { method: 'totp' } };
      case 'authenticated': {
        const { account, device, profile } = record;
        if (device !== undefined) await this.accounts.trustDevice(account.accountId, device);
        return { authenticated: true, name: account.name, email: account.email, ...(profile !== null ? { profile } : {}) };
      }
    }
  }
}
