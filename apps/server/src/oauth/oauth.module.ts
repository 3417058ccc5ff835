import { type DynamicModule, Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Configuration } from 'oidc-provider';
import { AccountDirectory } from '../accounts/account-directory.js';
import { memoryLimiters, redisLimiters } from '../common/limiters.js';
import { AccountsModule } from '../accounts/accounts.module.js';
import { KeyRing } from '../accounts/secret-key.js';
import { AppConfig } from '../config/app-config.js';
import { HttpModule } from '../http/http.module.js';
import { RequestGuard } from '../http/request-guard.js';
import { RedisConnection } from '../redis/redis.module.js';
import { SessionModule } from '../session/session.module.js';
import { UpstreamOverrides } from '../upstream/upstream-sign-in.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { PasskeysModule } from '../passkeys/passkeys.module.js';
import { BearerAuth } from './bearer-auth.js';
import { WidgetModule } from '../widget/widget.module.js';
import { Clock } from '../common/clock.js';
import { ConnectedApps } from './connected-apps.js';
import { Consents } from './consents.js';
import { LinkedProfiles } from './linked-profiles.js';
import { LinkingService } from './linking.service.js';
import { InteractionController } from './interaction.controller.js';
import { createOAuthProvider } from './oauth-provider.js';
import { OAuthServer } from './oauth-server.js';
import { MemoryOAuthStorage, OAuthStorage, RedisOAuthStorage } from './oauth-storage.js';
import { WellKnownController } from './well-known.controller.js';

/** What tests may replace: the fetch for client metadata documents (theirs are served on loopback). */
export abstract class OAuthOverrides {
  cimdFetch?: Configuration['fetch'];
  /** Seconds a rotated refresh token may be retried (oauth-storage.ts); tests set 0 to see reuse at once. */
  refreshReuseGraceSeconds?: number;
  /** How the server reaches upstream providers (upstream-sign-in.ts). */
  upstreamFetch?: typeof fetch;
}

/** Provides the overrides (app.module.ts passes what its caller gave, usually none) to OAuthModule wherever it is imported. */
@Global()
@Module({})
export class OAuthOverridesModule {
  static forRoot(overrides: OAuthOverrides): DynamicModule {
    return {
      module: OAuthOverridesModule,
      providers: [
        { provide: OAuthOverrides, useValue: overrides },
        { provide: UpstreamOverrides, useValue: { ...(overrides.upstreamFetch && { upstreamFetch: overrides.upstreamFetch }) } },
      ],
      exports: [OAuthOverrides, UpstreamOverrides],
    };
  }
}

class StorageLifecycle implements OnApplicationShutdown {
  constructor(private readonly storage: OAuthStorage) {}

  onApplicationShutdown(): void {
    this.storage.close();
  }
}

/**
 * Account linking: the authorization server (oidc-provider, mounted by app.ts
 * in front of the Nest routes), its state, the hosted sign-in and consent
 * screens, the protected-resource metadata, the bearer check for /mcp, and
 * LinkingService for the tools. Modules that use it import it.
 */
@Module({
  imports: [AccountsModule, SessionModule, HttpModule, UpstreamModule, PasskeysModule, WidgetModule],
  controllers: [WellKnownController, InteractionController],
  providers: [
    {
      provide: OAuthStorage,
      inject: [RedisConnection, OAuthOverrides],
      useFactory: (redis: RedisConnection, overrides: OAuthOverrides) =>
        redis.client ? new RedisOAuthStorage(redis.client, overrides.refreshReuseGraceSeconds) : new MemoryOAuthStorage(overrides.refreshReuseGraceSeconds),
    },
    { provide: StorageLifecycle, inject: [OAuthStorage], useFactory: (storage: OAuthStorage) => new StorageLifecycle(storage) },
    Consents,
    LinkedProfiles,
    ConnectedApps,
    {
      provide: OAuthServer,
      inject: [AppConfig, OAuthStorage, Consents, AccountDirectory, KeyRing, RequestGuard, RedisConnection, OAuthOverrides, ConnectedApps, Clock],
      useFactory: (
        config: AppConfig,
        storage: OAuthStorage,
        consents: Consents,
        directory: AccountDirectory,
        keys: KeyRing,
        guard: RequestGuard,
        redis: RedisConnection,
        overrides: OAuthOverrides,
        apps: ConnectedApps,
        clock: Clock,
      ) => {
        const logger = new Logger('ConnectedApps');
        // "Last used" is a courtesy: a store that does not answer costs it, never the token.
        const onTokens = (accountId: string, grantId: string) =>
          void apps.used(accountId, grantId, clock.now()).catch((error: unknown) => logger.warn(`Could not mark an app used: ${error instanceof Error ? error.name : 'unknown error'}`));
        const create = () =>
          createOAuthProvider({
            issuer: config.publicUrl,
            resource: config.mcpUrl,
            storage,
            consents,
            directory,
            keys,
            onTokens,
            accessTokenTtlSeconds: config.oauth.accessTokenTtlSeconds,
            refreshTokenTtlSeconds: config.oauth.refreshTokenTtlSeconds,
            ...(overrides.cimdFetch && { fetch: overrides.cimdFetch }),
          });
        const limiters = redis.client ? redisLimiters(redis.client) : memoryLimiters;
        return new OAuthServer(create, guard, limiters({ keyPrefix: 'register', points: config.oauth.registrationsPerHour, duration: 3600 }));
      },
    },
    {
      provide: BearerAuth,
      inject: [OAuthServer, AppConfig, AccountDirectory],
      useFactory: (server: OAuthServer, config: AppConfig, directory: AccountDirectory) =>
        new BearerAuth(server, config.mcpUrl, config.publicUrl, config.oauth.requireAuth, directory),
    },
    LinkingService,
  ],
  exports: [OAuthServer, OAuthStorage, BearerAuth, LinkingService, ConnectedApps],
})
export class OAuthModule {}
