import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { ApiModule } from './api/api.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { HealthController } from './health/health.controller.js';
import { HomeController } from './home/home.controller.js';
import { HttpModule } from './http/http.module.js';
import { JsonBodyMiddleware } from './http/json-body.middleware.js';
import { RequestGuardMiddleware } from './http/request-guard.middleware.js';
import { McpModule } from './mcp/mcp.module.js';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), HttpModule, McpModule, ApiModule],
      controllers: [HomeController, HealthController],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // By path, so each request passes once (by controller, a path with several
    // handlers, such as /mcp, would run them once per handler).
    consumer.apply(RequestGuardMiddleware, JsonBodyMiddleware).forRoutes('mcp', 'sse', 'messages', 'api/session/*path');
  }
}
