import { describe, expect, it } from '@jest/globals';
import { challengeOf, codeEvent, credentialsEvent, passwordEvent, profileEvent, resendEvent, resetEvent, shownEvent, upstreamCheckedEvent, upstreamStarted } from './tool-outcome';

describe('tool outcomes', () => {
  it('reads an expired authenticate-target result, with or without isError', () => {
    const refusal = { error: 'expired', message: 'Your session has expired. Please sign in again.' };
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

  it('reads a refusal from its text when it has no structured error, and says something when it has neither', () => {
    const text = [{ type: 'image' }, { type: 'text', text: 'Server' }, { type: 'text' }, { type: 'text', text: 'down.' }];
    expect(codeEvent({ isError: true, content: text })).toEqual({ type: 'request_failed', message: 'Server  down.' });
    expect(codeEvent({ isError: true })).toEqual({ type: 'request_failed', message: 'Something went wrong. Try again.' });
    // An error without a string message is not a step error: the text is used instead.
    expect(passwordEvent({ isError: true, structuredContent: { error: 'weak_password', message: 3 }, content: [{ type: 'text', text: 'Nope' }] })).toEqual({
      type: 'password_rejected',
      message: 'Nope',
    });
    expect(passwordEvent({ isError: true, structuredContent: { error: 4, message: 'x' } })).toEqual({ type: 'password_rejected', message: 'Something went wrong. Try again.' });
    expect(passwordEvent({ isError: true, structuredContent: null })).toEqual({ type: 'password_rejected', message: 'Something went wrong. Try again.' });
  });

  it('ends the session or locks sign-in from any step, with the server’s words', () => {
    const expired = { error: 'expired', message: 'Gone.' };
    const locked = { error: 'locked', message: 'Locked.' };
    for (const read of [credentialsEvent, resetEvent, resendEvent, codeEvent, passwordEvent, profileEvent]) {
      expect(read({ isError: true, structuredContent: expired })).toEqual({ type: 'session_ended', message: 'Gone.' });
      expect(read({ isError: true, structuredContent: { error: 'invalid_session', message: 'Unknown.' } })).toEqual({ type: 'session_ended', message: 'Unknown.' });
      expect(read({ isError: true, structuredContent: locked })).toEqual({ type: 'sign_in_locked', message: 'Locked.' });
    }
    expect(shownEvent({ isError: true, structuredContent: locked })).toEqual({ type: 'sign_in_locked', message: 'Locked.' });
    expect(shownEvent({ isError: true, structuredContent: { error: 'unavailable', message: 'Down.' } }, 'sess_2')).toEqual({ type: 'load_failed', message: 'Down.', sessionId: 'sess_2' });
  });

  it('shows a session only when it has an id and a signed-in flag', () => {
    const content = { sessionId: 'sess_1', authenticated: false, step: 'credentials' };
    expect(shownEvent({ structuredContent: content }, undefined, 7)).toEqual({ type: 'session_shown', result: content, at: 7 });
    const unreadable = { type: 'load_failed', message: 'The sign-in could not start. Ask the assistant to try again.', sessionId: 's' };
    expect(shownEvent({ structuredContent: { sessionId: 1, authenticated: false } }, 's')).toEqual(unreadable);
    expect(shownEvent({ structuredContent: { sessionId: 'sess_1', authenticated: 'no' } }, 's')).toEqual(unreadable);
    expect(shownEvent({ structuredContent: 'sess_1' }, 's')).toEqual(unreadable);
    expect(shownEvent({}, 's')).toEqual(unreadable);
  });

  it('takes a code step only from a successful verify answer, with a known purpose and a delivery object', () => {
    const delivery = { method: 'email', sentTo: 'l•••@example.com' };
    expect(resetEvent({ structuredContent: { step: 'verify', purpose: 'reset', delivery } }, 1)).toEqual({
      type: 'code_sent',
      result: { step: 'verify', purpose: 'reset', delivery },
      at: 1,
    });
    expect(resetEvent({ structuredContent: { step: 'verify', purpose: 'other', delivery: 'email' } }, 1)).toEqual({
      type: 'code_sent',
      result: { step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } },
      at: 1,
    });
    expect(resendEvent({ structuredContent: { step: 'verify' } }, 2)).toEqual({
      type: 'code_resent',
      result: { step: 'verify', purpose: 'sign-in', delivery: { method: 'demo' } },
      at: 2,
    });
    // The same shape with isError, another step or no object is a refusal, not a code step.
    expect(credentialsEvent({ isError: true, structuredContent: { step: 'verify' }, content: [{ type: 'text', text: 'No.' }] })).toEqual({
      type: 'credentials_rejected',
      message: 'No.',
    });
    expect(credentialsEvent({ structuredContent: { step: 'credentials' } })).toEqual({ type: 'credentials_rejected', message: 'Something went wrong. Try again.' });
    expect(resendEvent({ structuredContent: 'verify' })).toEqual({ type: 'resend_refused', message: 'Something went wrong. Try again.' });
  });

  it('reads a challenge only from a challenge_required error carrying one', () => {
    const challenge = { parameters: { algorithm: 'SHA-256' }, signature: 'sig' };
    expect(challengeOf({ structuredContent: { error: 'challenge_required', message: 'Checking…', challenge } })).toBeUndefined();
    expect(challengeOf({ isError: true, structuredContent: { error: 'challenge_required', message: 'Checking…', challenge: 'sig' } })).toBeUndefined();
    expect(challengeOf({ isError: true, structuredContent: { error: 'challenge_required', challenge } })).toBeUndefined();
  });

  it('signs in only from a successful answer saying so, and moves on to the step it names', () => {
    const signedIn = { authenticated: true, name: 'N', email: 'e@x.co' };
    expect(codeEvent({ structuredContent: signedIn })).toStrictEqual({ type: 'code_accepted', name: 'N', email: 'e@x.co' });
    expect(codeEvent({ isError: true, structuredContent: signedIn })).toEqual({ type: 'request_failed', message: 'Something went wrong. Try again.' });
    expect(passwordEvent({ isError: true, structuredContent: signedIn })).toEqual({ type: 'password_rejected', message: 'Something went wrong. Try again.' });
    expect(profileEvent({ isError: true, structuredContent: signedIn })).toEqual({ type: 'profile_rejected', message: 'Something went wrong. Try again.' });
    expect(codeEvent({ structuredContent: { authenticated: 'true', name: 'N', email: 'e@x.co' } })).toEqual({ type: 'request_failed', message: 'Something went wrong. Try again.' });
    expect(codeEvent({ structuredContent: { authenticated: false, step: 'verify', purpose: 'reset', delivery: { method: 'totp' } } })).toEqual({ type: 'authenticator_required', purpose: 'reset' });
    expect(codeEvent({ structuredContent: { authenticated: false, step: 'verify', purpose: 'link', delivery: { method: 'totp' } } })).toEqual({ type: 'authenticator_required', purpose: 'link' });
    expect(codeEvent({ structuredContent: { authenticated: false, step: 'elsewhere' } })).toEqual({ type: 'request_failed', message: 'Something went wrong. Try again.' });
    expect(codeEvent({ structuredContent: { authenticated: true, step: 'profile', profiles: [] } })).toMatchObject({ type: 'code_accepted' });
    expect(codeEvent({ structuredContent: { authenticated: 'false', step: 'new-password' } })).toMatchObject({ type: 'request_failed' });
    expect(codeEvent({ structuredContent: { authenticated: 'false', step: 'profile', profiles: [] } })).toMatchObject({ type: 'request_failed' });
    expect(codeEvent({ structuredContent: 'signed in' })).toMatchObject({ type: 'request_failed' });
    const profiles = [{ id: 'p1', name: 'Alex' }];
    expect(profileEvent({ structuredContent: { ...signedIn, profile: 'Alex' } })).toEqual({ type: 'code_accepted', name: 'N', email: 'e@x.co', profile: 'Alex' });
    expect(passwordEvent({ structuredContent: { authenticated: false, step: 'profile', profiles } })).toEqual({ type: 'profile_required', profiles });
    expect(profileEvent({ structuredContent: { authenticated: false, step: 'new-password' } })).toEqual({ type: 'new_password_required' });
    expect(codeEvent({ isError: true, structuredContent: { error: 'rate_limited', message: 'Later.', retryAfterSeconds: 60 } })).toEqual({
      type: 'code_rejected',
      message: 'Later.',
      attemptsLeft: undefined,
    });
  });

  it('reads a started upstream sign-in only when it has its link, code and provider; else the refusal', () => {
    const started = { step: 'upstream', provider: { id: 'demo', name: 'Demo ID' }, url: 'https://target.example/auth/start/x', code: 'BCDFGHJK', expiresAt: '2026-12-05T10:00:00Z' };
    expect(upstreamStarted({ structuredContent: started })).toEqual(started);
    for (const broken of [{ ...started, step: 'verify' }, { ...started, url: 1 }, { ...started, code: undefined }, { ...started, provider: 'demo' }, null]) {
      expect(upstreamStarted({ structuredContent: broken })).toMatchObject({ type: 'credentials_rejected' });
    }
    expect(upstreamStarted({ isError: true, structuredContent: started })).toEqual({ type: 'credentials_rejected', message: 'Something went wrong. Try again.' });
    expect(upstreamStarted({ isError: true, structuredContent: { error: 'invalid_input', message: 'No such provider.' } })).toEqual({ type: 'credentials_rejected', message: 'No such provider.' });
    expect(upstreamStarted({ isError: true, structuredContent: { error: 'expired', message: 'Over.' } })).toEqual({ type: 'session_ended', message: 'Over.' });
  });

  it('reads a poll or a cancel: where the session stands, an end (over, locked), or a passing failure a poll tries again after', () => {
    const standing = { sessionId: 'sess_1', authenticated: false, step: 'upstream' };
    expect(upstreamCheckedEvent({ structuredContent: standing }, 'upstream_checked', 7)).toEqual({ type: 'upstream_checked', result: standing, at: 7 });
    expect(upstreamCheckedEvent({ structuredContent: standing }, 'upstream_cancelled', 7)).toEqual({ type: 'upstream_cancelled', result: standing, at: 7 });
    for (const broken of [{ ...standing, sessionId: 1 }, { ...standing, authenticated: 'no' }, 'text']) {
      expect(upstreamCheckedEvent({ structuredContent: broken }, 'upstream_checked')).toBeUndefined();
    }
    expect(upstreamCheckedEvent({ isError: true, structuredContent: standing }, 'upstream_checked')).toBeUndefined();
    expect(upstreamCheckedEvent({ isError: true, structuredContent: { error: 'expired', message: 'Over.' } }, 'upstream_checked')).toEqual({ type: 'session_ended', message: 'Over.' });
    expect(upstreamCheckedEvent({ isError: true, structuredContent: { error: 'invalid_session', message: 'Gone.' } }, 'upstream_checked')).toEqual({ type: 'session_ended', message: 'Gone.' });
    expect(upstreamCheckedEvent({ isError: true, structuredContent: { error: 'locked', message: 'Locked.' } }, 'upstream_checked')).toEqual({ type: 'sign_in_locked', message: 'Locked.' });
    const down = { isError: true, structuredContent: { error: 'unavailable', message: 'Try again shortly.' } };
    expect(upstreamCheckedEvent(down, 'upstream_checked')).toBeUndefined();
    expect(upstreamCheckedEvent(down, 'upstream_cancelled')).toEqual({ type: 'request_failed', message: 'Try again shortly.' });
    expect(upstreamCheckedEvent({ isError: true, content: [{ type: 'text', text: 'Boom' }] }, 'upstream_cancelled')).toEqual({ type: 'request_failed', message: 'Boom' });
  });
});
