import { describe, expect, it } from '@jest/globals';
import { MAX_NEW_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from '@target-auth/shared/tools';
import type { z } from 'zod';
import { MAX_PROOF_OF_WORK_BYTES } from '../accounts/proof-of-work.js';
import { codeInput, credentialsInput, newPasswordInput, profileInput, sessionIdField } from './session.inputs.js';

/** The messages a refused input gets, by field: what the user and the model read. */
function refusal(schema: z.ZodType, input: unknown): Record<string, string[]> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('accepted');
  const byField: Record<string, string[]> = {};
  for (const issue of result.error.issues) (byField[issue.path.join('.')] ??= []).push(issue.message);
  return byField;
}

const sessionId = 'sess_1';

describe('sign-in step inputs', () => {
  it('refuses a missing, empty or overlong password in the user’s words', () => {
    const base = { sessionId, email: 'a@b.co' };
    expect(refusal(credentialsInput, base)).toEqual({ password: ['Enter your password'] });
    expect(refusal(credentialsInput, { ...base, password: '' })).toEqual({ password: ['Enter your password'] });
    expect(refusal(credentialsInput, { ...base, password: 'x'.repeat(MAX_PASSWORD_LENGTH + 1) })).toEqual({ password: ['Password is too long'] });
    expect(refusal(credentialsInput, { ...base, password: 'pw', altcha: 'x'.repeat(MAX_PROOF_OF_WORK_BYTES + 1) })).toEqual({ altcha: ['The challenge answer is too long'] });
    expect(refusal(credentialsInput, { ...base, password: 'pw', altcha: 5 })).toEqual({ altcha: ['The challenge answer must be text'] });
  });

  it('refuses a missing, empty or overlong new password, a missing profile and a malformed code', () => {
    expect(refusal(newPasswordInput, { sessionId })).toEqual({ password: ['Enter a new password'] });
    expect(refusal(newPasswordInput, { sessionId, password: '' })).toEqual({ password: ['Enter a new password'] });
    expect(refusal(newPasswordInput, { sessionId, password: 'x'.repeat(MAX_NEW_PASSWORD_LENGTH + 1) })).toEqual({ password: [`Use at most ${MAX_NEW_PASSWORD_LENGTH} characters`] });
    expect(refusal(profileInput, { sessionId })).toEqual({ profileId: ['Choose a profile'] });
    expect(refusal(profileInput, { sessionId, profileId: '' })).toEqual({ profileId: ['Choose a profile'] });
    expect(refusal(codeInput, { sessionId })).toEqual({ code: ['Enter the 6-digit code'] });
    expect(refusal(codeInput, { sessionId, code: '12345a' })).toEqual({ code: ['Enter the 6-digit code'] });
  });

  it('tells the model where a session id comes from', () => {
    expect(sessionIdField.description).toBe('The sessionId returned by create-target-session');
  });
});
