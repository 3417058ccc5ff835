import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AppConfig } from '../config/app-config.js';
import { redactedUrl } from '../config/urls.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Clock } from '../common/clock.js';
import { RedisConnection } from '../redis/redis.module.js';
import { MemorySessionStore } from './memory-session.store.js';
import { PasskeyStep } from './passkey.step.js';
import { PasswordAttempts } from './password-attempts.js';
import { RedisSessionStore } from './redis-session.store.js';
import { CodeSender } from './code-sender.js';
import { CodeStep } from './code.step.js';
import { CredentialsStep } from './credentials.step.js';
import { HandOver } from './hand-over.js';
import { ProfileStep } from './profile.step.js';
import { RecoveryStep } from './recovery.step.js';
import { SessionAccess } from './session-access.js';
import { SessionService, SessionSteps } from './session.service.js';
import { SignInCompletion } from './sign-in-completion.js';
import { UpstreamStep } from './upstream.step.js';
import { UpstreamHandOffStep } from './upstream-hand-off.js';
import { SessionStore } from './session.store.js';

/** Reports how many sessions the store holds, when metrics are scraped. */
@Injectable()
class LiveSessionsGauge implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly store: SessionStore,
  ) {}

  onModuleInit(): void {
    // NaN while a shared store does not answer: no number is better than a wrong one.
    this.metrics.gauge('target_auth_sessions_live', 'Sessions held (expired ones included until purged).', () => this.store.size().catch(() => Number.NaN));
  }
}

/** The session service over the in-memory store, or Redis with REDIS_URL; expired sessions answer "expired" for one more TTL. */
@Module({
  imports: [AccountsModule],
  providers: [
    {
      provide: SessionStore,
      inject: [Clock, AppConfig, RedisConnection],
      useFactory: (clock: Clock, config: AppConfig, redis: RedisConnection) => {
        const logger = new Logger('Sessions');
        if (redis.client && config.redisUrl) {
          logger.log(`Sessions: Redis at ${redactedUrl(config.redisUrl)} (shared by every instance).`);
          return new RedisSessionStore(redis.client, { retentionMs: config.sessionTtlMs, maxSessions: config.maxSessions });
        }
        logger.log('Sessions: in memory (this process only; lost on restart).');
        return new MemorySessionStore(clock, {
          maxSessions: config.maxSessions,
          retentionMs: config.sessionTtlMs,
          sweepEveryMs: Math.min(30_000, Math.max(1000, Math.floor(config.sessionTtlMs / 10))),
        });
      },
    },
    PasswordAttempts,
    PasskeyStep,
    SessionAccess,
    SignInCompletion,
    CodeSender,
    CredentialsStep,
    CodeStep,
    RecoveryStep,
    ProfileStep,
    HandOver,
    UpstreamStep,
    UpstreamHandOffStep,
    SessionSteps,
    SessionService,
    LiveSessionsGauge,
  ],
  exports: [SessionService, SessionStore, UpstreamStep, UpstreamHandOffStep, PasswordAttempts, PasskeyStep],
})
export class SessionModule {}
