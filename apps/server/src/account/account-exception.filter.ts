import { Catch } from '@nestjs/common';
import type { Request } from 'express';
import { PasskeyError } from '../accounts/passkeys.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { StepError, UNAVAILABLE_RETRY_SECONDS } from '../session/step-error.js';
import { UpstreamError } from '../upstream/relying-party.js';
import { AccountPageError } from './account-page.service.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * The account page's errors: a refusal as `{ error, message }` with its
 * status; a store that did not answer (or a sign-in that could not be opened)
 * as 503 `unavailable` with `Retry-After`; the rest as usual. None is cached.
 */
@Catch()
export class AccountExceptionFilter extends HttpExceptionFilter {
  protected override answer(error: unknown, req: Request) {
    if (error instanceof AccountPageError) return { status: error.status, body: error.failure, headers: NO_STORE };
    if (error instanceof PasskeyError) return { status: 400, body: { error: 'passkey_refused', message: error.message }, headers: NO_STORE };
    // A sign-in step that refused (a session over, at another step): said as is.
    if ((error instanceof StepError && error.code !== 'unavailable') || error instanceof UpstreamError) return { status: 400, body: { error: 'invalid_request', message: error.message }, headers: NO_STORE };
    if (error instanceof StoreUnavailableError || (error instanceof StepError && error.code === 'unavailable') || (error instanceof UpstreamError && error.reason === 'unavailable')) {
      const message = error instanceof StoreUnavailableError ? 'Your account page is unavailable for a moment. Try again shortly.' : error.message;
      return { status: 503, body: { error: 'unavailable', message }, headers: { ...NO_STORE, 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) } };
    }
    const answer = super.answer(error, req);
    return { ...answer, headers: { ...answer.headers, ...NO_STORE } };
  }
}
