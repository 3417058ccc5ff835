import { Module } from '@nestjs/common';
import { JsonBodyInterceptor } from './json-body.js';
import { OriginPolicy } from './origin-policy.js';
import { RequestGuard } from './request-guard.js';

/** Request-level protections shared by the MCP and API routes. */
@Module({
  providers: [OriginPolicy, RequestGuard, JsonBodyInterceptor],
  exports: [OriginPolicy, RequestGuard, JsonBodyInterceptor],
})
export class HttpModule {}
