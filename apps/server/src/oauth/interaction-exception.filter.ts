import { Catch } from '@nestjs/common';
import type { Request } from 'express';
import { PasskeyError } from '../accounts/passkeys.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { StepError, UNAVAILABLE_RETRY_SECONDS } from '../session/step-error.js';
import { UpstreamError } from '../upstream/relying-party.js';
import { LinkingError } from './linking-error.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * The hosted page's errors: a refusal as `{ error, message }` with its status;
 * a store or provider that did not answer (or a sign-in that could not be
 * opened) as 503 `unavailable` with `Retry-After`; a sign-in step or provider
 * that refused as 400 with its message; the rest as usual. None is cached.
 */
@Catch()
export class InteractionExceptionFilter extends HttpExceptionFilter {
  protected override answer(error: unknown, req: Request) {
    if (error instanceof LinkingError) return { status: error.status, body: error.failure, headers: NO_STORE };
    const unavailable =
      error instanceof StoreUnavailableError ||
      (error instanceof StepError && error.code === 'unavailable') ||
      (error instanceof UpstreamError && error.reason === 'unavailable');
    if (unavailable) {
      const message = error instanceof Error && !(error instanceof StoreUnavailableError) ? error.message : 'Account linking is temporarily unavailable. Try again in a moment.';
      return { status: 503, body: { error: 'unavailable', message }, headers: { ...NO_STORE, 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) } };
    }
    // A sign-in step or provider refused (a session over, at another step, an unknown provider): said as is.
    if (error instanceof StepError || error instanceof UpstreamError || error instanceof PasskeyError) return { status: 400, body: { error: 'invalid_request', message: error.message }, headers: NO_STORE };
    const answer = super.answer(error, req);
    return { ...answer, headers: { ...answer.headers, ...NO_STORE } };
  }
}
