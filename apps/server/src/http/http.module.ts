import { Module } from '@nestjs/common';
import { JsonBodyMiddleware } from './json-body.middleware.js';
import { OriginPolicy } from './origin-policy.js';
import { RequestGuardMiddleware } from './request-guard.middleware.js';

/** Request-level protections shared by the MCP and API routes. */
@Module({
  providers: [OriginPolicy, RequestGuardMiddleware, JsonBodyMiddleware],
  exports: [OriginPolicy, RequestGuardMiddleware, JsonBodyMiddleware],
})
export class HttpModule {}
