/**
 * Limits per account (never only per client address), on rate-limiter-flexible
 * so the same limiters run in memory or on a shared store. Every budget is
 * reserved before the work it guards (one atomic count), so parallel requests
 * cannot overshoot a limit that a read-then-write check would let through.
 *
 * - Passwords from a browser that signed in to the account before (a trusted
 *   device, see docs/security.md) count on that browser alone: 5 failures in
 *   15 minutes and it is treated as any other browser. Strangers' failures never
 *   slow or refuse it.
 * - Passwords from other browsers count per account: from the 3rd failure in 15
 *   minutes a proof of work is asked, and each failure beyond the 5th makes the
 *   next one costlier (proof-of-work.ts); the right password is never refused
 *   for them, until 100 failures in a day (NIST SP 800-63B §5.2.2).
 * - Wrong codes: 10 an hour per account and purpose (a stranger's wrong reset
 *   codes never lock the owner's sign-in codes).
 * - Mails: 5 per 15 minutes per address and purpose, unknown addresses alike.
 *
 * Demo mode binds `UnlimitedSignIns`; real mode `AccountLimits`
 * (account-limits.ts, loaded only then).
 */
import type { CodePurpose } from '@target-auth/shared/tools';

export const LIMITS = {
  passwordWindowSeconds: 15 * 60,
  /** Failed passwords in the window after which a proof of work is asked. */
  challengeAfterFailures: 3,
  /** Failed passwords in the window after which each attempt costs more work than the last. */
  escalateAfterFailures: 5,
  /** Failed passwords per account and day from untrusted browsers; then even the right one waits. */
  untrustedFailuresPerDay: 100,
  /** Failed passwords from one trusted browser in the window before it counts as untrusted. */
  deviceFailures: 5,
  codeFailures: 10,
  codeWindowSeconds: 60 * 60,
  codeSends: 5,
  codeSendWindowSeconds: 15 * 60,
} as const;

/** A reserved attempt. It counts as a failure unless told otherwise. */
export interface Attempt {
  /** It succeeded: it is not a failure (and a password success forgets the window's failures). */
  succeeded(): Promise<void>;
  /** It was not made after all (a challenge was due first): it does not count. */
  withdrawn(): Promise<void>;
}

/** A reserved code check; `lastFor` is set when it took the budget's last one: the seconds until there are more. */
export interface CodeCheck extends Attempt {
  lastFor: number | null;
}

/** Refused: how long until the budget allows another try. */
export interface Refusal {
  retryAfterSeconds: number;
}

/** Who a code check counts against: the account (sign-in), or the address typed (recovery, known or not). */
export type CodeSubject = { accountId: string } | { email: string };

export abstract class SignInLimits {
  /**
   * Reserves a password attempt from a browser trusted for this account;
   * null once that browser has failed too often (it then counts as untrusted).
   */
  abstract reserveTrustedAttempt(email: string, deviceHash: string): Promise<Attempt | null>;
  /**
   * Reserves a password attempt from any other browser: refused past the
   * day's ceiling; else with the failures before it in the window, which set
   * whether a challenge is due and how costly it is.
   */
  abstract reserveUntrustedAttempt(email: string): Promise<{ attempt: Attempt; priorFailures: number } | Refusal>;
  /** Reserves one code check; refused once the subject's wrong codes for this purpose reached the hour's limit. */
  abstract reserveCodeCheck(purpose: CodePurpose, subject: CodeSubject): Promise<CodeCheck | Refusal>;
  /** Reserves one mail to this address for this purpose; refused past the budget. */
  abstract reserveSend(email: string, purpose: CodePurpose): Promise<Refusal | null>;
}

/** True for a refused reservation. */
export const isRefusal = (value: object | null): value is Refusal => value !== null && 'retryAfterSeconds' in value;

const FREE: Attempt = { succeeded: async () => undefined, withdrawn: async () => undefined };

/** Demo mode: no limits beyond the per-session ones. */
export class UnlimitedSignIns extends SignInLimits {
  async reserveTrustedAttempt() {
    return FREE;
  }
  async reserveUntrustedAttempt() {
    return { attempt: FREE, priorFailures: 0 };
  }
  async reserveCodeCheck(): Promise<CodeCheck> {
    return { ...FREE, lastFor: null };
  }
  async reserveSend() {
    return null;
  }
}
