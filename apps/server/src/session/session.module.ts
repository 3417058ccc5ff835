import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { Clock } from './clock.js';
import { MemorySessionStore } from './memory-session.store.js';
import { SessionService } from './session.service.js';
import { SessionStore } from './session.store.js';

/** Reports how many sessions the store holds, when metrics are scraped. */
@Injectable()
class LiveSessionsGauge implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly store: SessionStore,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('target_auth_sessions_live', 'Sessions held (expired ones included until purged).', () => this.store.size());
  }
}

/** The session service over the in-memory store; expired sessions answer "expired" for one more TTL. */
@Module({
  imports: [AccountsModule],
  providers: [
    {
      provide: SessionStore,
      inject: [Clock, AppConfig],
      useFactory: (clock: Clock, config: AppConfig) =>
        new MemorySessionStore(clock, {
          maxSessions: config.maxSessions,
          retentionMs: config.sessionTtlMs,
          sweepEveryMs: Math.min(30_000, Math.max(1000, Math.floor(config.sessionTtlMs / 10))),
        }),
    },
    SessionService,
    LiveSessionsGauge,
  ],
  exports: [SessionService],
})
export class SessionModule {}
