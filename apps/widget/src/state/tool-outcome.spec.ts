import { describe, expect, it } from '@jest/globals';
import { challengeOf, codeEvent, credentialsEvent, passwordEvent, profileEvent, resendEvent, resetEvent, shownEvent } from './tool-outcome';

describe('tool outcomes', () => {
  it('reads an expired authenticate-target result, with or without isError', () => {
    const refusal = { error: 'expired', message: 'Your session has expired. Please log in again.' };
    expect(shownEvent({ isError: true, structuredContent: refusal })).toMatchObject({ type: 'session_ended' });
    expect(shownEvent({ structuredContent: refusal })).toMatchObject({ type: 'session_ended' });
  });

  it('fails the load on a result it cannot read', () => {
    expect(shownEvent({ structuredContent: { hello: 1 } }, 'sess_1')).toMatchObject({ type: 'load_failed', sessionId: 'sess_1' });
    expect(shownEvent({ isError: true, content: [{ type: 'text', text: 'Boom' }] })).toEqual({ type: 'load_failed', message: 'Boom', sessionId: undefined });
  });

  it('maps step refusals to the right events', () => {
    expect(credentialsEvent({ isError: true, structuredContent: { error: 'invalid_credentials', message: 'No.' } })).toEqual({ type: 'credentials_rejected', message: 'No.' });
    expect(codeEvent({ isError: true, structuredContent: { error: 'wrong_code', message: 'No.', attemptsLeft: 2 } })).toEqual({ type: 'code_rejected', message: 'No.', attemptsLeft: 2 });
    expect(codeEvent({ isError: true, structuredContent: { error: 'locked', message: 'Locked.' } })).toEqual({ type: 'sign_in_locked', message: 'Locked.' });
    expect(codeEvent({ isError: true, structuredContent: { error: 'invalid_session', message: 'Invalid session.' } })).toMatchObject({ type: 'session_ended' });
    expect(codeEvent({ structuredContent: { authenticated: true, name: 'N', email: 'e@x.co' } })).toEqual({ type: 'code_accepted', name: 'N', email: 'e@x.co' });
  });

  it('reads the code step, the challenge and the limits', () => {
    const delivery = { method: 'email', sentTo: 'l•••@example.com' };
    expect(credentialsEvent({ structuredContent: { step: 'verify', purpose: 'sign-in', delivery } }, 5)).toEqual({
      type: 'code_sent',
      result: { step: 'verify', purpose: 'sign-in', delivery },
      at: 5,
    });
    expect(credentialsEvent({ structuredContent: { step: 'verify' } }, 5)).toEqual({
      type: 'code_sent',
      result: { step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } },
      at: 5,
    });
    const challenge = { parameters: { algorithm: 'SHA-256' }, signature: 'sig' };
    expect(challengeOf({ isError: true, structuredContent: { error: 'challenge_required', message: 'Checking…', challenge } })).toEqual(challenge);
    expect(challengeOf({ isError: true, structuredContent: { error: 'invalid_credentials', message: 'No.' } })).toBeUndefined();
    const limited = { error: 'rate_limited', message: 'Try again in 15 minutes.', retryAfterSeconds: 900 };
    expect(credentialsEvent({ isError: true, structuredContent: limited })).toEqual({ type: 'credentials_rejected', message: 'Try again in 15 minutes.' });
    expect(codeEvent({ isError: true, structuredContent: limited })).toEqual({ type: 'code_rejected', message: 'Try again in 15 minutes.' });
    expect(codeEvent({ isError: true, structuredContent: { error: 'code_expired', message: 'Expired code.' } })).toEqual({ type: 'code_rejected', message: 'Expired code.' });
    expect(resendEvent({ isError: true, structuredContent: limited })).toEqual({ type: 'resend_refused', message: 'Try again in 15 minutes.' });
    expect(resendEvent({ structuredContent: { step: 'verify', purpose: 'reset', delivery } }, 9)).toMatchObject({ type: 'code_resent', at: 9 });
    expect(resetEvent({ isError: true, structuredContent: limited })).toEqual({ type: 'reset_rejected', message: 'Try again in 15 minutes.' });
  });

  it('reads the steps after the code', () => {
    const profiles = [{ id: 'p1', name: 'Alex' }];
    expect(codeEvent({ structuredContent: { authenticated: false, step: 'profile', profiles } })).toEqual({ type: 'profile_required', profiles });
    expect(codeEvent({ structuredContent: { authenticated: false, step: 'new-password' } })).toEqual({ type: 'new_password_required' });
    expect(passwordEvent({ isError: true, structuredContent: { error: 'weak_password', message: 'Too easy.' } })).toEqual({ type: 'password_rejected', message: 'Too easy.' });
    expect(passwordEvent({ structuredContent: { authenticated: true, name: 'N', email: 'e@x.co', profile: 'P' } })).toEqual({
      type: 'code_accepted',
      name: 'N',
      email: 'e@x.co',
      profile: 'P',
    });
    expect(profileEvent({ isError: true, structuredContent: { error: 'invalid_input', message: 'Choose one.' } })).toEqual({ type: 'profile_rejected', message: 'Choose one.' });
  });
});
