import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { StepError } from '../session/step-error.js';

/** Validates a request body against a schema; the first problem becomes a 400 `invalid_input`. */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.infer<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.infer<Schema> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new StepError('invalid_input', `${where}${issue?.message ?? 'Invalid request body'}`);
  }
}
