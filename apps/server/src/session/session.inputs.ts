/**
 * Input schemas for the sign-in steps, shared by the MCP tools and the HTTP API
 * so both refuse the same things with the same words. Objects are strict:
 * unknown fields are an error.
 */
import { CODE_PATTERN, DEVICE_SECRET_PATTERN, MAX_EMAIL_LENGTH, MAX_NEW_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from '@target-auth/shared/tools';
import { z } from 'zod';
import { MAX_PROOF_OF_WORK_BYTES } from '../accounts/proof-of-work.js';

/** Any string up to a bound; a malformed id is answered like an unknown one. */
export const sessionIdField = z.string().max(128).describe('The sessionId returned by create-target-session');

export const sessionInput = z.strictObject({ sessionId: sessionIdField });

const emailField = z.email({ error: 'Enter a valid email address' }).max(MAX_EMAIL_LENGTH);

const deviceField = z
  .string({ error: 'The device key must be text' })
  .regex(DEVICE_SECRET_PATTERN, { error: 'The device key must be 43 base64url characters' })
  .optional()
  .describe("The browser's own random device key, if it keeps one: a browser that signed in before is spared strangers' failures");

export const credentialsInput = z.strictObject({
  sessionId: sessionIdField,
  email: emailField,
  password: z
    .string({ error: 'Enter your password' })
    .min(1, { error: 'Enter your password' })
    .max(MAX_PASSWORD_LENGTH, { error: 'Password is too long' }),
  altcha: z
    .string({ error: 'The challenge answer must be text' })
    .max(MAX_PROOF_OF_WORK_BYTES, { error: 'The challenge answer is too long' })
    .optional()
    .describe('The solved challenge, when the last answer was challenge_required'),
  device: deviceField,
});

export const resetInput = z.strictObject({ sessionId: sessionIdField, email: emailField, device: deviceField });

export const newPasswordInput = z.strictObject({
  sessionId: sessionIdField,
  password: z
    .string({ error: 'Enter a new password' })
    .min(1, { error: 'Enter a new password' })
    .max(MAX_NEW_PASSWORD_LENGTH, { error: `Use at most ${MAX_NEW_PASSWORD_LENGTH} characters` }),
});

export const profileInput = z.strictObject({
  sessionId: sessionIdField,
  profileId: z.string({ error: 'Choose a profile' }).min(1, { error: 'Choose a profile' }).max(64),
});

export const codeInput = z.strictObject({
  sessionId: sessionIdField,
  code: z.string({ error: 'Enter the 6-digit code' }).regex(CODE_PATTERN, { error: 'Enter the 6-digit code' }),
});

export const upstreamInput = z.strictObject({
  sessionId: sessionIdField,
  provider: z.string({ error: 'Choose a provider' }).min(1, { error: 'Choose a provider' }).max(32).describe('The id of a provider the sign-in offers (its `providers`), or `passkey`'),
});

export const upstreamCheckInput = z.strictObject({
  sessionId: sessionIdField,
  cancel: z.boolean({ error: 'cancel must be true or false' }).optional().describe('True to give up the upstream sign-in and wait for a password again'),
});

export type CredentialsInput = z.infer<typeof credentialsInput>;
export type CodeInput = z.infer<typeof codeInput>;
export type ResetInput = z.infer<typeof resetInput>;
export type NewPasswordInput = z.infer<typeof newPasswordInput>;
export type ProfileInput = z.infer<typeof profileInput>;
