import { type StepErrorCode, type StepErrorResult, UNAVAILABLE_MESSAGE } from '@target-auth/shared/tools';

/** A refused sign-in step. Its message is safe to show the user and the model. */
export class StepError extends Error {
  override name = 'StepError';

  constructor(
    readonly code: StepErrorCode,
    message: string,
    readonly details: Partial<Pick<StepErrorResult, 'attemptsLeft' | 'retryAfterSeconds' | 'challenge'>> = {},
  ) {
    super(message);
  }

  toResult(): StepErrorResult {
    return { error: this.code, message: this.message, ...this.details };
  }
}

/** `rate_limited`, saying when to try again in words and in `retryAfterSeconds`. */
export function rateLimited(reason: string, retryAfterSeconds: number): StepError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new StepError('rate_limited', `${reason} Try again in ${inWords(seconds)}.`, { retryAfterSeconds: seconds });
}

function inWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Seconds a client should wait after a store outage before trying again. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

/** `unavailable`: a store did not answer; nothing was decided. */
export function unavailable(): StepError {
  return new StepError('unavailable', UNAVAILABLE_MESSAGE);
}
