import { Body, Controller, HttpCode, Post, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { CredentialsAcceptedResult, SignedInResult } from '@target-auth/shared/tools';
import { JsonBodyInterceptor } from '../http/json-body.js';
import { RequestGuard } from '../http/request-guard.js';
import { ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { codeInput, type CodeInput, credentialsInput, type CredentialsInput } from '../session/session.inputs.js';
import { SessionService } from '../session/session.service.js';

/**
 * The sign-in steps over plain HTTP, for hosts that cannot call tools and for
 * standalone widget development. Same rules as the app-only tools.
 */
@Controller('api/session')
@UseGuards(RequestGuard)
@UseInterceptors(JsonBodyInterceptor)
@UseFilters(ApiExceptionFilter)
export class SessionApiController {
  constructor(private readonly sessions: SessionService) {}

  @Post('credentials')
  @HttpCode(200)
  credentials(@Body(new ZodValidationPipe(credentialsInput)) body: CredentialsInput): Promise<CredentialsAcceptedResult> {
    return this.sessions.submitCredentials(body.sessionId, body.email, body.password);
  }

  @Post('authenticate')
  @HttpCode(200)
  authenticate(@Body(new ZodValidationPipe(codeInput)) body: CodeInput): Promise<SignedInResult> {
    return this.sessions.verifyCode(body.sessionId, body.code);
  }
}
