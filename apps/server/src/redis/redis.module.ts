/**
 * The one Redis connection (ioredis) when REDIS_URL is set. ioredis because
 * it gives a per-command timeout and an offline mode that fails at once, so a
 * Redis outage turns into a prompt "unavailable" instead of a hang, and
 * rate-limiter-flexible drives it directly. Reconnects forever in the
 * background: the same process recovers when Redis returns.
 */
import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';

/** How long one command may take before the caller is told "unavailable". */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  /** Null without REDIS_URL. */
  readonly client: Redis | null;
  private down = false;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.client = config.redisUrl ? this.connect(config.redisUrl) : null;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    await this.client.quit().catch(() => this.client?.disconnect());
  }

  private connect(url: string): Redis {
    const client = new Redis(url, {
      keyPrefix: 'target-auth:',
      enableOfflineQueue: false,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    });
    client.on('error', () => {
      if (this.down) return;
      this.down = true;
      this.logger.warn('Redis is unreachable: sign-ins answer "unavailable" until it returns.');
    });
    client.on('ready', () => {
      if (this.down) this.logger.log('Redis is back.');
      this.down = false;
    });
    return client;
  }
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
