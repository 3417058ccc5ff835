/**
 * Tool arguments are checked here, not by the SDK's `McpServer` (which answers
 * a bad argument with its validator's dump, and a dump can quote the value, a
 * password included): zod checks, and the answer names the field and the
 * rule, never the value.
 */
import type { z } from 'zod';
import { describeIssue, InvalidInputError } from '../http/invalid-input.error.js';

/** The checked arguments, or an InvalidInputError naming the first bad field. */
export function parseToolArgs<Schema extends z.ZodObject>(schema: Schema, args: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(describeIssue(parsed.error.issues[0]));
}
