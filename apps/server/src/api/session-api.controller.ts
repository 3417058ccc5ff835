import { Body, Controller, HttpCode, Post, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import type { AuthenticateResult, CodeAcceptedResult, CodeSentResult, SignedInResult } from '@target-auth/shared/tools';
import { JsonBodyInterceptor } from '../http/json-body.js';
import { RequestGuard } from '../http/request-guard.js';
import { ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { ApiExceptionFilter } from './api-exception.filter.js';
import {
  codeInput,
  type CodeInput,
  credentialsInput,
  type CredentialsInput,
  newPasswordInput,
  type NewPasswordInput,
  profileInput,
  type ProfileInput,
  resetInput,
  type ResetInput,
  sessionInput,
} from '../session/session.inputs.js';
import { SessionService } from '../session/session.service.js';

/**
 * The sign-in steps over plain HTTP, for hosts that cannot call tools and for
 * standalone widget development. Same rules and limits as the app-only tools.
 */
@Controller('api/session')
@UseGuards(RequestGuard)
@UseInterceptors(JsonBodyInterceptor)
@UseFilters(ApiExceptionFilter)
export class SessionApiController {
  constructor(private readonly sessions: SessionService) {}

  /** Where the sign-in screens start for a session (as `authenticate-target` says), e.g. on a page back from an upstream provider. */
  @Post('open')
  @HttpCode(200)
  open(@Body(new ZodValidationPipe(sessionInput)) body: { sessionId: string }): Promise<AuthenticateResult> {
    return this.sessions.screens(body.sessionId);
  }

  @Post('credentials')
  @HttpCode(200)
  credentials(@Body(new ZodValidationPipe(credentialsInput)) body: CredentialsInput): Promise<CodeSentResult> {
    return this.sessions.submitCredentials(body.sessionId, body.email, body.password, { altcha: body.altcha, device: body.device });
  }

  @Post('authenticate')
  @HttpCode(200)
  authenticate(@Body(new ZodValidationPipe(codeInput)) body: CodeInput): Promise<CodeAcceptedResult> {
    return this.sessions.verifyCode(body.sessionId, body.code);
  }

  @Post('resend')
  @HttpCode(200)
  resend(@Body(new ZodValidationPipe(sessionInput)) body: { sessionId: string }): Promise<CodeSentResult> {
    return this.sessions.resendCode(body.sessionId);
  }

  @Post('reset')
  @HttpCode(200)
  reset(@Body(new ZodValidationPipe(resetInput)) body: ResetInput): Promise<CodeSentResult> {
    return this.sessions.startPasswordReset(body.sessionId, body.email, body.device);
  }

  @Post('password')
  @HttpCode(200)
  password(@Body(new ZodValidationPipe(newPasswordInput)) body: NewPasswordInput): Promise<CodeAcceptedResult> {
    return this.sessions.setPassword(body.sessionId, body.password);
  }

  @Post('profile')
  @HttpCode(200)
  profile(@Body(new ZodValidationPipe(profileInput)) body: ProfileInput): Promise<SignedInResult> {
    return this.sessions.selectProfile(body.sessionId, body.profileId);
  }
}
