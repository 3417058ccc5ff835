import { describe, expect, it } from '@jest/globals';
import type { WidgetScreen } from '@target-auth/shared/widget-state';
import { authReducer, type AuthEvent, initialScreen } from './auth-reducer';

const id = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';
const credentials: WidgetScreen = { screen: 'credentials', sessionId: id, submitting: false };
const verifying: WidgetScreen = { screen: 'verifying', sessionId: id, submitting: false, locked: false };
const success: WidgetScreen = { screen: 'success', name: 'Lauren Bailey', email: 'l@example.com' };
const run = (state: WidgetScreen, ...events: AuthEvent[]) => events.reduce(authReducer, state);

describe(authReducer.name, () => {
  it('starts loading', () => {
    expect(initialScreen).toEqual({ screen: 'loading' });
  });

  it('opens on the screen the tool result names', () => {
    expect(run(initialScreen, { type: 'session_shown', result: { sessionId: id, authenticated: false, step: 'credentials' } })).toEqual(credentials);
    expect(run(initialScreen, { type: 'session_shown', result: { sessionId: id, authenticated: false, step: 'verify' } })).toEqual(verifying);
    expect(run(initialScreen, { type: 'session_shown', result: { sessionId: id, authenticated: true, name: 'Lauren Bailey', email: 'l@example.com' } })).toEqual(success);
  });

  it('ignores a repeated tool result once the user has moved on', () => {
    const moved = run(credentials, { type: 'credentials_submitted' }, { type: 'credentials_accepted' });
    expect(run(moved, { type: 'session_shown', result: { sessionId: id, authenticated: false, step: 'credentials' } })).toBe(moved);
  });

  it('goes credentials → submitting → verifying', () => {
    const submitting = run(credentials, { type: 'credentials_submitted' });
    expect(submitting).toEqual({ ...credentials, submitting: true });
    expect(run(submitting, { type: 'credentials_submitted' })).toBe(submitting);
    expect(run(submitting, { type: 'credentials_accepted' })).toEqual(verifying);
  });

  it('keeps the credentials screen with the server message when rejected', () => {
    expect(run(credentials, { type: 'credentials_submitted' }, { type: 'credentials_rejected', message: 'Email or password is incorrect.' })).toEqual({
      ...credentials,
      error: 'Email or password is incorrect.',
    });
  });

  it('goes verifying → submitting → success', () => {
    const submitting = run(verifying, { type: 'code_submitted' });
    expect(submitting).toMatchObject({ screen: 'verifying', submitting: true });
    expect(run(submitting, { type: 'code_submitted' })).toBe(submitting);
    expect(run(submitting, { type: 'code_accepted', name: 'Lauren Bailey', email: 'l@example.com' })).toEqual(success);
  });

  it('records a wrong code with attempts left, and a lockout', () => {
    const wrong = run(verifying, { type: 'code_submitted' }, { type: 'code_rejected', message: 'Nope. 4 attempts left.', attemptsLeft: 4 });
    expect(wrong).toEqual({ ...verifying, error: 'Nope. 4 attempts left.', attemptsLeft: 4 });
    const locked = run(wrong, { type: 'code_submitted' }, { type: 'sign_in_locked', message: 'Locked: start a new sign-in.' });
    expect(locked).toMatchObject({ screen: 'verifying', locked: true, attemptsLeft: 0, error: 'Locked: start a new sign-in.' });
    expect(run(locked, { type: 'code_submitted' })).toBe(locked);
  });

  it('shows the expired screen from any step, but never undoes success', () => {
    for (const state of [initialScreen, credentials, verifying]) {
      expect(run(state, { type: 'session_ended', message: 'Expired.' })).toEqual({ screen: 'expired', message: 'Expired.' });
    }
    expect(run(success, { type: 'session_ended', message: 'Expired.' })).toBe(success);
  });

  it('turns a load failure into an error screen, and retry back into loading', () => {
    const failed = run(initialScreen, { type: 'load_failed', message: 'No data.', sessionId: id });
    expect(failed).toEqual({ screen: 'error', message: 'No data.', sessionId: id });
    expect(run(failed, { type: 'retry_requested' })).toEqual(initialScreen);
    expect(run(credentials, { type: 'load_failed', message: 'late timer' })).toBe(credentials);
  });

  it('keeps the form and stops the progress on a network failure', () => {
    expect(run(credentials, { type: 'credentials_submitted' }, { type: 'request_failed', message: 'Offline.' })).toEqual({ ...credentials, error: 'Offline.' });
    expect(run(verifying, { type: 'code_submitted' }, { type: 'request_failed', message: 'Offline.' })).toMatchObject({ submitting: false, error: 'Offline.' });
  });

  it('ignores events that do not apply to the current screen', () => {
    expect(run(credentials, { type: 'code_submitted' })).toBe(credentials);
    expect(run(credentials, { type: 'code_accepted', name: 'X', email: 'x@example.com' })).toBe(credentials);
    expect(run(verifying, { type: 'credentials_accepted' })).toBe(verifying);
    expect(run(success, { type: 'request_failed', message: 'x' })).toBe(success);
    expect(run(credentials, { type: 'retry_requested' })).toBe(credentials);
  });

  it('throws on an unknown event', () => {
    expect(() => authReducer(credentials, { type: 'teleport' } as unknown as AuthEvent)).toThrow(/Unknown widget event/);
  });
});
