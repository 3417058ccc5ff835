import { Catch } from '@nestjs/common';
import type { Request } from 'express';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { StepError, unavailable, UNAVAILABLE_RETRY_SECONDS } from '../session/step-error.js';

/** HTTP status of each refused sign-in step on the REST API. */
const STEP_STATUS: Record<StepError['code'], number> = {
  invalid_input: 400,
  invalid_session: 404,
  expired: 410,
  wrong_step: 409,
  invalid_credentials: 401,
  wrong_code: 401,
  locked: 423,
  code_expired: 401,
  weak_password: 422,
  rate_limited: 429,
  challenge_required: 428,
  unavailable: 503,
};

/**
 * The REST API's errors: a refused step as `{ error, message, attemptsLeft?,
 * retryAfterSeconds?, challenge? }` with its status (429 and 503 with `Retry-After`),
 * the rest as usual.
 */
@Catch()
export class ApiExceptionFilter extends HttpExceptionFilter {
  protected override answer(error: unknown, req: Request) {
    if (error instanceof StoreUnavailableError) error = unavailable();
    if (!(error instanceof StepError)) return super.answer(error, req);
    const retryAfter = error.code === 'unavailable' ? UNAVAILABLE_RETRY_SECONDS : error.details.retryAfterSeconds;
    return {
      status: STEP_STATUS[error.code],
      body: error.toResult(),
      ...(retryAfter !== undefined ? { headers: { 'Retry-After': String(retryAfter) } } : {}),
    };
  }
}
