import type { StepErrorCode, StepErrorResult } from '@target-auth/shared/tools';

/** A refused sign-in step. Its message is safe to show the user and the model. */
export class StepError extends Error {
  override name = 'StepError';

  constructor(
    readonly code: StepErrorCode,
    message: string,
    readonly details: Partial<Pick<StepErrorResult, 'attemptsLeft'>> = {},
  ) {
    super(message);
  }

  toResult(): StepErrorResult {
    return { error: this.code, message: this.message, ...this.details };
  }
}
