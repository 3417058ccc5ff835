/**
 * Input schemas for the sign-in steps, shared by the MCP tools and the HTTP API
 * so both refuse the same things with the same words. Objects are strict:
 * unknown fields are an error.
 */
import { CODE_PATTERN, MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from '@target-auth/shared/tools';
import { z } from 'zod';

/** Any string up to a bound; a malformed id is answered like an unknown one. */
export const sessionIdField = z.string().max(128).describe('The sessionId returned by create-target-session');

export const sessionInput = z.strictObject({ sessionId: sessionIdField });

export const credentialsInput = z.strictObject({
  sessionId: sessionIdField,
  email: z.email({ error: 'Enter a valid email address' }).max(MAX_EMAIL_LENGTH),
  password: z
    .string({ error: 'Enter your password' })
    .min(1, { error: 'Enter your password' })
    .max(MAX_PASSWORD_LENGTH, { error: 'Password is too long' }),
});

export const codeInput = z.strictObject({
  sessionId: sessionIdField,
  code: z.string({ error: 'Enter the 6-digit code' }).regex(CODE_PATTERN, { error: 'Enter the 6-digit code' }),
});

export type CredentialsInput = z.infer<typeof credentialsInput>;
export type CodeInput = z.infer<typeof codeInput>;
