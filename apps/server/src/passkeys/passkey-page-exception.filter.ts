import { Catch } from '@nestjs/common';
import type { Request } from 'express';
import { PasskeyError } from '../accounts/passkeys.js';
import { StoreUnavailableError } from '../common/store-unavailable.js';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { StepError, UNAVAILABLE_RETRY_SECONDS } from '../session/step-error.js';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** A refusal of the passkey page's own: its status, code and words. */
export class PasskeyPageRefusal extends Error {
  override name = 'PasskeyPageRefusal';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The passkey page's errors, as `{ error, message }`: a passkey refused, 400
 * `passkey_refused`; a sign-in that is over, expired or elsewhere, 410
 * `gone` (the page says to start again from the chat); a store that did not
 * answer, 503 with `Retry-After`; the rest as usual. None is cached.
 */
@Catch()
export class PasskeyPageExceptionFilter extends HttpExceptionFilter {
  protected override answer(error: unknown, req: Request) {
    if (error instanceof PasskeyPageRefusal) return { status: error.status, body: { error: error.code, message: error.message }, headers: NO_STORE };
    if (error instanceof PasskeyError) return { status: 400, body: { error: 'passkey_refused', message: error.message }, headers: NO_STORE };
    if (error instanceof StoreUnavailableError || (error instanceof StepError && error.code === 'unavailable')) {
      const message = error instanceof StepError ? error.message : 'Signing in is unavailable for a moment. Try again shortly.';
      return { status: 503, body: { error: 'unavailable', message }, headers: { ...NO_STORE, 'Retry-After': String(UNAVAILABLE_RETRY_SECONDS) } };
    }
    if (error instanceof StepError) {
      const over = error.code === 'invalid_session' || error.code === 'expired' || error.code === 'locked';
      return { status: over ? 410 : 400, body: { error: over ? 'gone' : 'invalid_request', message: error.message }, headers: NO_STORE };
    }
    const answer = super.answer(error, req);
    return { ...answer, headers: { ...answer.headers, ...NO_STORE } };
  }
}
