/**
 * Where rate limiters count (rate-limiter-flexible): this process's memory by
 * default, Redis when several instances share one budget. Sign-in limits, the
 * challenge record and account linking's registration limit all take a factory.
 */
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

/** Makes one limiter; the memory one by default, a shared store's (Redis) when several instances run. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/** The same limiters on Redis: every instance counts against one budget per key. */
export const redisLimiters =
  (redis: Redis): LimiterFactory =>
  (options) =>
    new RateLimiterRedis({ storeClient: redis, ...options, keyPrefix: `limit:${options.keyPrefix}` });
