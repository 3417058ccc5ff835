/**
 * Limits per account (never only per client address), on rate-limiter-flexible
 * so the same limiters run in memory or on a shared store:
 * - 5 failed passwords in 15 min block the account's password step, for 15 min,
 *   doubling with each block that day up to 1 h; from the 3rd failure on, a
 *   proof-of-work challenge is required (see proof-of-work.ts);
 * - 10 wrong codes in an hour, across all the account's sessions, lock its code
 *   step for the hour;
 * - 5 codes sent per 15 min.
 * Demo mode binds `UnlimitedSignIns`; real mode `AccountLimits` (account-limits.ts,
 * loaded only then).
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

export const LIMITS = {
  passwordFailures: 5,
  passwordWindowSeconds: 15 * 60,
  passwordBlockMaxSeconds: 60 * 60,
  challengeAfterFailures: 3,
  codeFailures: 10,
  codeWindowSeconds: 60 * 60,
  codeSends: 5,
  codeSendWindowSeconds: 15 * 60,
} as const;

/** Makes one limiter; the memory one by default, a shared store's (Redis) when several instances run. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;


export abstract class SignInLimits {
  /** Whether this e-mail's password step is blocked (seconds to wait), and its recent failures. */
  abstract passwordGate(email: string): Promise<{ retryAfterSeconds: number | null; failures: number }>;
  /** Counts a failed password; the seconds to wait when this failure blocked the account. */
  abstract passwordFailed(email: string): Promise<number | null>;
  abstract passwordAccepted(email: string): Promise<void>;
  /** Seconds until the account's code step unlocks, or null. */
  abstract codeGate(accountId: string): Promise<number | null>;
  /** Counts a wrong code; the seconds to wait when this one locked the account's code step. */
  abstract codeFailed(accountId: string): Promise<number | null>;
  /** Seconds until another code may be sent to the account, or null. */
  abstract sendGate(accountId: string): Promise<number | null>;
  abstract codeSent(accountId: string): Promise<void>;
}

/** Demo mode: no limits beyond the per-session ones. */
export class UnlimitedSignIns extends SignInLimits {
  async passwordGate() {
    return { retryAfterSeconds: null, failures: 0 };
  }
  async passwordFailed() {
    return null;
  }
  async passwordAccepted() {}
  async codeGate() {
    return null;
  }
  async codeFailed() {
    return null;
  }
  async sendGate() {
    return null;
  }
  async codeSent() {}
}
