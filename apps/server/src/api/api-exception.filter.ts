import { Catch } from '@nestjs/common';
import type { Request } from 'express';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { StepError } from '../session/step-error.js';

/** HTTP status of each refused sign-in step on the REST API. */
const STEP_STATUS: Record<StepError['code'], number> = {
  invalid_input: 400,
  invalid_session: 404,
  expired: 410,
  wrong_step: 409,
  invalid_credentials: 401,
  wrong_code: 401,
  locked: 423,
  unavailable: 503,
};

/** The REST API's errors: a refused step as `{ error, message, attemptsLeft? }` with its status, the rest as usual. */
@Catch()
export class ApiExceptionFilter extends HttpExceptionFilter {
  protected override answer(error: unknown, req: Request): { status: number; body: object } {
    if (error instanceof StepError) return { status: STEP_STATUS[error.code], body: error.toResult() };
    return super.answer(error, req);
  }
}
