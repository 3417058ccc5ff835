/** The per-account limits of real mode, on rate-limiter-flexible (see sign-in-limits.ts for the rules). */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { StoreUnavailableError } from '../session/session.store.js';
import { type LimiterFactory, LIMITS, SignInLimits } from './sign-in-limits.js';

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/** The same limiters on Redis: every instance counts against one budget per account. */
export const redisLimiters =
  (redis: Redis): LimiterFactory =>
  (options) =>
    new RateLimiterRedis({ storeClient: redis, ...options, keyPrefix: `limit:${options.keyPrefix}` });

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export class AccountLimits extends SignInLimits {
  private readonly passwords: RateLimiterAbstract;
  private readonly passwordBlocks: RateLimiterAbstract;
  private readonly codes: RateLimiterAbstract;
  private readonly sends: RateLimiterAbstract;

  /** `keyKey` keys the HMAC that turns an e-mail into a limiter key (stores never hold addresses). */
  constructor(
    private readonly keyKey: Buffer,
    make: LimiterFactory = memoryLimiters,
  ) {
    super();
    this.passwords = make({ keyPrefix: 'pw', points: LIMITS.passwordFailures, duration: LIMITS.passwordWindowSeconds });
    this.passwordBlocks = make({ keyPrefix: 'pwblock', points: 1000, duration: 24 * 60 * 60 });
    this.codes = make({ keyPrefix: 'code', points: LIMITS.codeFailures, duration: LIMITS.codeWindowSeconds });
    this.sends = make({ keyPrefix: 'send', points: LIMITS.codeSends, duration: LIMITS.codeSendWindowSeconds });
  }

  async passwordGate(email: string) {
    const state = await guarded(this.passwords.get(this.emailKey(email)));
    const consumed = state?.consumedPoints ?? 0;
    // Failures past the limit mean a limiter state is there.
    const retryAfterSeconds = consumed >= LIMITS.passwordFailures ? seconds(state!.msBeforeNext) : null;
    return { retryAfterSeconds, failures: Math.min(consumed, LIMITS.passwordFailures) };
  }

  async passwordFailed(email: string): Promise<number | null> {
    const key = this.emailKey(email);
    const consumed = await consume(this.passwords, key);
    if (consumed instanceof RateLimiterRes) return seconds(consumed.msBeforeNext);
    if (consumed < LIMITS.passwordFailures) return null;
    const strikes = await consume(this.passwordBlocks, key);
    const strike = strikes instanceof RateLimiterRes ? 1000 : strikes;
    const blockFor = Math.min(LIMITS.passwordWindowSeconds * 2 ** (strike - 1), LIMITS.passwordBlockMaxSeconds);
    await guarded(this.passwords.block(key, blockFor));
    return blockFor;
  }

  async passwordAccepted(email: string): Promise<void> {
    await guarded(this.passwords.delete(this.emailKey(email)));
  }

  async codeGate(accountId: string): Promise<number | null> {
    const state = await guarded(this.codes.get(accountId));
    return state && state.consumedPoints >= LIMITS.codeFailures ? seconds(state.msBeforeNext) : null;
  }

  async codeFailed(accountId: string): Promise<number | null> {
    const consumed = await consume(this.codes, accountId);
    if (consumed instanceof RateLimiterRes) return seconds(consumed.msBeforeNext);
    if (consumed < LIMITS.codeFailures) return null;
    await guarded(this.codes.block(accountId, LIMITS.codeWindowSeconds));
    return LIMITS.codeWindowSeconds;
  }

  async sendGate(accountId: string): Promise<number | null> {
    const state = await guarded(this.sends.get(accountId));
    return state && state.consumedPoints >= LIMITS.codeSends ? seconds(state.msBeforeNext) : null;
  }

  async codeSent(accountId: string): Promise<void> {
    await consume(this.sends, accountId);
  }

  private emailKey(email: string): string {
    return createHmac('sha256', this.keyKey).update(email.trim().toLowerCase()).digest('base64url');
  }
}

/** Points consumed after this one, or the refusal when the key was already over (or blocked). */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<number | RateLimiterRes> {
  try {
    return (await limiter.consume(key)).consumedPoints;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return refusal;
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
