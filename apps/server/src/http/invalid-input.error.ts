import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

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

/** "field: rule" from a zod issue; zod's messages name types and keys, not values. */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'Invalid input';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
