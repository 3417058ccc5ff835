import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { describeIssue } from './invalid-input.error.js';
import { InvalidInputError } from './invalid-input.error.js';

/** Validates a request body against a schema; the first problem becomes a 400 `invalid_input`. */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.infer<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.infer<Schema> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    throw new InvalidInputError(describeIssue(parsed.error.issues[0]));
  }
}
