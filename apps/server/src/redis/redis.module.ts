/**
 * The one Redis connection (ioredis) when REDIS_URL is set. ioredis because
 * it gives a per-command timeout and an offline mode that fails at once, so a
 * Redis outage turns into a prompt "unavailable" instead of a hang, and
 * rate-limiter-flexible drives it directly. Reconnects forever in the
 * background: the same process recovers when Redis returns.
 */
import { Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/** How long one command may take before the caller is told "unavailable". */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private down = false;

  /** Null without REDIS_URL. */
  private constructor(readonly client: Redis | null) {
    client?.on('error', () => {
      if (this.down) return;
      this.down = true;
      this.logger.warn('Redis is unreachable: sign-ins answer "unavailable" until it returns.');
    });
    client?.on('ready', () => {
      if (this.down) this.logger.log('Redis is back.');
      this.down = false;
    });
  }

  /** Connects when REDIS_URL is set (ioredis is loaded only then). */
  static async open(config: AppConfig): Promise<RedisConnection> {
    if (!config.redisUrl) return new RedisConnection(null);
    const { Redis } = await import('ioredis');
    return new RedisConnection(
      new Redis(config.redisUrl, {
        keyPrefix: 'target-auth:',
        enableOfflineQueue: false,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        maxRetriesPerRequest: 0,
        connectTimeout: 2000,
        retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    await this.client.quit().catch(() => this.client?.disconnect());
  }
}

@Global()
@Module({
  providers: [{ provide: RedisConnection, inject: [AppConfig], useFactory: (config: AppConfig) => RedisConnection.open(config) }],
  exports: [RedisConnection],
})
export class RedisModule {}
