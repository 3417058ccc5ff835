import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AppConfig } from '../config/app-config.js';
import { Clock, SystemClock } from './clock.js';
import { MemorySessionStore } from './memory-session.store.js';
import { SessionService } from './session.service.js';
import { SessionStore } from './session.store.js';

/** The session service over the in-memory store; expired sessions answer "expired" for one more TTL. */
@Module({
  imports: [AccountsModule],
  providers: [
    { provide: Clock, useClass: SystemClock },
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
  ],
  exports: [SessionService],
})
export class SessionModule {}
