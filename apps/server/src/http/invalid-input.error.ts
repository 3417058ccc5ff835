import { BadRequestException } from '@nestjs/common';

/**
 * Input that breaks a schema (a field missing, of the wrong type, too long):
 * a 400 on the HTTP surfaces and an `invalid_input` result for tools. Not a
 * domain refusal (StepError): nothing was asked of the sign-in yet.
 */
export class InvalidInputError extends BadRequestException {
  constructor(message: string) {
    super(message);
  }
}
