import { PasskeyStore } from './passkey-store.js';
import { Passkeys } from './passkeys.js';
import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Clock, SystemClock } from '../common/clock.js';
import { memoryLimiters, redisLimiters } from '../common/limiters.js';
import { type AccountBackend, demoBackend } from './account-backend.js';
import { AccountDirectory } from './account-directory.js';
import { OneTimeCodes } from './one-time-codes.js';
import { ProofOfWork } from './proof-of-work.js';
import { KeyRing } from './secret-key.js';
import { SignInLimits } from './sign-in-limits.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RedisConnection } from '../redis/redis.module.js';

const BACKEND = Symbol('account-backend');

/** For readiness: whether the accounts database answers (real mode; demo mode has none). */
export class AccountsHealth {
  constructor(private readonly backend: AccountBackend) {}

  /** `embedded` (PGlite) or `postgres`; undefined in demo mode. */
  get databaseKind(): 'embedded' | 'postgres' | undefined {
    return this.backend.database?.kind;
  }

  /** Undefined without a database; else whether it answered. */
  async databaseAnswers(): Promise<boolean | undefined> {
    if (!this.backend.database) return undefined;
    return this.backend.database.ping().then(
      () => true,
      () => false,
    );
  }
}

/** Closes the database and the mail transport when the app stops. */
@Injectable()
class BackendLifecycle implements OnApplicationShutdown {
  constructor(@Inject(BACKEND) private readonly backend: AccountBackend) {}

  async onApplicationShutdown(): Promise<void> {
    await this.backend.close();
  }
}

/**
 * Binds the account directory, codes, limits and challenge for the mode
 * (DEMO_MODE). To sign people in against another user database, bind your own
 * `AccountDirectory` here (see docs/real-accounts.md, "Using your own user database").
 */
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    {
      provide: BACKEND,
      inject: [AppConfig, Clock, RedisConnection, MetricsService],
      useFactory: async (config: AppConfig, clock: Clock, redis: RedisConnection, metrics: MetricsService) => {
        if (config.demo.enabled) return demoBackend(config);
        // Real mode's modules (database, mail, argon2, limiters) load only here: demo mode starts without them.
        const { realBackend } = await import('./real-account-backend.js');
        const mails = metrics.byOutcome('target_auth_mail_total', 'Queued codes, by outcome (sent, discarded for an unknown or disabled address, failed).');
        const backend = await realBackend(config, clock, redis.client ? redisLimiters(redis.client) : memoryLimiters, (outcome) => mails.inc({ outcome }));
        const outbox = backend.outbox!;
        metrics.gauge('target_auth_mail_queued', 'Codes waiting in the mail outbox.', () => outbox.queued().catch(() => Number.NaN));
        return backend;
      },
    },
    { provide: AccountDirectory, inject: [BACKEND], useFactory: (backend: AccountBackend) => backend.directory },
    { provide: OneTimeCodes, inject: [BACKEND], useFactory: (backend: AccountBackend) => backend.codes },
    { provide: SignInLimits, inject: [BACKEND], useFactory: (backend: AccountBackend) => backend.limits },
    { provide: ProofOfWork, inject: [BACKEND], useFactory: (backend: AccountBackend) => backend.proofOfWork },
    { provide: KeyRing, inject: [BACKEND], useFactory: (backend: AccountBackend) => backend.keys },
    { provide: PasskeyStore, inject: [BACKEND], useFactory: (backend: AccountBackend) => backend.passkeys },
    Passkeys,
    { provide: AccountsHealth, inject: [BACKEND], useFactory: (backend: AccountBackend) => new AccountsHealth(backend) },
    BackendLifecycle,
  ],
  exports: [Clock, KeyRing, AccountDirectory, OneTimeCodes, SignInLimits, ProofOfWork, PasskeyStore, Passkeys, AccountsHealth],
})
export class AccountsModule {}
