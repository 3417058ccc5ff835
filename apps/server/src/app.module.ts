import { type DynamicModule, Module } from '@nestjs/common';
import { AccountModule } from './account/account.module.js';
import { ApiModule } from './api/api.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';
import { HomeController } from './home/home.controller.js';
import type { JsonLogging } from './logging/json-logging.js';
import { McpModule } from './mcp/mcp.module.js';
import { RedisModule } from './redis/redis.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OAuthModule, OAuthOverridesModule, type OAuthOverrides } from './oauth/oauth.module.js';

/**
 * The application. Each surface guards its own routes and shapes its own
 * errors (McpController: JSON-RPC; SessionApiController: the sign-in refusals);
 * the global filter (app.ts) answers for everything else.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logging?: JsonLogging, oauth: OAuthOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ...(logging ? [logging.module] : []),
        RedisModule,
        MetricsModule,
        OAuthOverridesModule.forRoot(oauth),
        OAuthModule,
        McpModule,
        ApiModule,
        AccountModule,
        HealthModule,
      ],
      controllers: [HomeController],
    };
  }
}
