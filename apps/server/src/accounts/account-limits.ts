/** The per-account limits of real mode, on rate-limiter-flexible (see sign-in-limits.ts for the rules). */
import { createHmac } from 'node:crypto';
import type { CodePurpose } from '@target-auth/shared/tools';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { type LimiterFactory, memoryLimiters } from '../common/limiters.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { type Attempt, type CodeCheck, type CodeSubject, LIMITS, type Refusal, SignInLimits } from './sign-in-limits.js';

const DAY_SECONDS = 24 * 60 * 60;
/** The window counter only counts (the day's ceiling refuses): a bound it never reaches. */
const UNBOUNDED = 1_000_000_000;

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export class AccountLimits extends SignInLimits {
  private readonly trusted: RateLimiterAbstract;
  private readonly untrustedDay: RateLimiterAbstract;
  private readonly untrustedWindow: RateLimiterAbstract;
  private readonly codes: Record<CodePurpose, RateLimiterAbstract>;
  private readonly sends: Record<CodePurpose, RateLimiterAbstract>;

  /** `keyKey` keys the HMAC that turns an e-mail into a limiter key (stores never hold addresses). */
  constructor(
    private readonly keyKey: Buffer,
    make: LimiterFactory = memoryLimiters,
  ) {
    super();
    const window = LIMITS.passwordWindowSeconds;
    this.trusted = make({ keyPrefix: 'pwdevice', points: LIMITS.deviceFailures, duration: window });
    this.untrustedDay = make({ keyPrefix: 'pwday', points: LIMITS.untrustedFailuresPerDay, duration: DAY_SECONDS });
    this.untrustedWindow = make({ keyPrefix: 'pw', points: UNBOUNDED, duration: window });
    const perPurpose = (prefix: string, points: number, duration: number) => ({
      'sign-in': make({ keyPrefix: `${prefix}-sign-in`, points, duration }),
      reset: make({ keyPrefix: `${prefix}-reset`, points, duration }),
      link: make({ keyPrefix: `${prefix}-link`, points, duration }),
    });
    this.codes = perPurpose('code', LIMITS.codeFailures, LIMITS.codeWindowSeconds);
    this.sends = perPurpose('send', LIMITS.codeSends, LIMITS.codeSendWindowSeconds);
  }

  async reserveTrustedAttempt(email: string, deviceHash: string): Promise<Attempt | null> {
    const key = `${this.emailKey(email)}.${deviceHash}`;
    if (!((await reserve(this.trusted, key)) instanceof RateLimiterRes)) return null;
    return {
      succeeded: () => guarded(this.trusted.delete(key)).then(() => undefined),
      withdrawn: () => guarded(this.trusted.reward(key, 1)).then(() => undefined),
    };
  }

  async reserveUntrustedAttempt(email: string): Promise<{ attempt: Attempt; priorFailures: number } | Refusal> {
    const key = this.emailKey(email);
    const day = await reserve(this.untrustedDay, key);
    if (!(day instanceof RateLimiterRes)) return day;
    const consumed = (await guarded(this.untrustedWindow.consume(key))).consumedPoints;
    const attempt: Attempt = {
      succeeded: async () => {
        await Promise.all([guarded(this.untrustedDay.reward(key, 1)), guarded(this.untrustedWindow.delete(key))]);
      },
      withdrawn: async () => {
        await Promise.all([guarded(this.untrustedDay.reward(key, 1)), guarded(this.untrustedWindow.reward(key, 1))]);
      },
    };
    return { attempt, priorFailures: consumed - 1 };
  }

  async reserveCodeCheck(purpose: CodePurpose, subject: CodeSubject): Promise<CodeCheck | Refusal> {
    const limiter = this.codes[purpose];
    const key = 'accountId' in subject ? `a.${subject.accountId}` : `e.${this.emailKey(subject.email)}`;
    const reserved = await reserve(limiter, key);
    if (!(reserved instanceof RateLimiterRes)) return reserved;
    const giveBack = () => guarded(limiter.reward(key, 1)).then(() => undefined);
    return { succeeded: giveBack, withdrawn: giveBack, lastFor: reserved.remainingPoints === 0 ? seconds(reserved.msBeforeNext) : null };
  }

  async reserveSend(email: string, purpose: CodePurpose): Promise<Refusal | null> {
    const reserved = await reserve(this.sends[purpose], this.emailKey(email));
    return reserved instanceof RateLimiterRes ? null : reserved;
  }

  private emailKey(email: string): string {
    return createHmac('sha256', this.keyKey).update(email.trim().toLowerCase()).digest('base64url');
  }
}

/** Takes one point: the limiter's state when granted, the wait when the key is over its budget. */
async function reserve(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | Refusal> {
  try {
    return await limiter.consume(key);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return { retryAfterSeconds: seconds(refusal.msBeforeNext) };
    throw unavailable(refusal);
  }
}

/** A limiter's store failing (Redis down) means "unavailable": limits are never skipped. */
function unavailable(error: unknown): StoreUnavailableError {
  return new StoreUnavailableError(`Limits: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

const guarded = <T>(operation: Promise<T>): Promise<T> =>
  operation.catch((error: unknown) => {
    throw unavailable(error);
  });
