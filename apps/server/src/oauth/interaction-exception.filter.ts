import { Catch } from '@nestjs/common';
import type { Request } from 'express';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { StepError, UNAVAILABLE_RETRY_SECONDS } from '../session/step-error.js';
import { LinkingError } from './linking-error.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * The hosted page's errors: a refusal as `{ error, message }` with its status;
 * a store that did not answer (or a sign-in that could not be opened) as 503
 * `unavailable` with `Retry-After`; the rest as usual. None is cached.
 */
@Catch()
export class InteractionExceptionFilter extends HttpExceptionFilter {
  protected override answer(error: unknown, req: Request) {
    if (error instanceof LinkingError) return { status: error.status, body: error.failure, headers: NO_STORE };
    if (error instanceof StoreUnavailableError || (error instanceof StepError && error.code === 'unavailable')) {
      const message = error instanceof StepError ? error.message : 'Account linking is temporarily unavailable. Try again in a moment.';
      return { status: 503, body: { error: 'unavailable', message }, headers: { ...NO_STORE, 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) } };
    }
    const answer = super.answer(error, req);
    return { ...answer, headers: { ...answer.headers, ...NO_STORE } };
  }
}
