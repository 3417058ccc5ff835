import { describe, expect, it } from '@jest/globals';
import type { WidgetScreen } from './widget-screen';
import { authReducer, type AuthEvent, initialScreen } from './auth-reducer';

const id = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';
const credentials: WidgetScreen = { screen: 'credentials', sessionId: id, submitting: false };
const AT = 1_000_000;
const sent = { step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'l•••@example.com' } } as const;
const verifying: WidgetScreen = {
  screen: 'verifying',
  sessionId: id,
  submitting: false,
  purpose: 'sign-in',
  delivery: sent.delivery,
  resendAt: AT + 30_000,
};
const accepted: AuthEvent = { type: 'code_sent', result: sent, at: AT };
const success: WidgetScreen = { screen: 'success', name: 'Lauren Bailey', email: 'l@example.com' };
const run = (state: WidgetScreen, ...events: AuthEvent[]) => events.reduce(authReducer, state);

describe(authReducer.name, () => {
  it('starts loading', () => {
    expect(initialScreen).toEqual({ screen: 'loading' });
  });

  it('opens on the screen the tool result names', () => {
    const shown = (result: Extract<AuthEvent, { type: 'session_shown' }>['result']) => run(initialScreen, { type: 'session_shown', result, at: AT });
    expect(shown({ sessionId: id, authenticated: false, step: 'credentials' })).toEqual(credentials);
    // Reopened on the code step: resending is allowed at once (the last send time is unknown).
    expect(shown({ sessionId: id, authenticated: false, step: 'verify', purpose: 'sign-in', delivery: sent.delivery })).toEqual({ ...verifying, resendAt: AT });
    expect(shown({ sessionId: id, authenticated: true, name: 'Lauren Bailey', email: 'l@example.com' })).toEqual(success);
    expect(shown({ sessionId: id, authenticated: true, name: 'Sam Home', email: 'h@example.com', profile: 'Alex' })).toEqual({
      screen: 'success',
      name: 'Sam Home',
      email: 'h@example.com',
      profile: 'Alex',
    });
    expect(shown({ sessionId: id, authenticated: false, step: 'profile', profiles: [{ id: 'p1', name: 'Alex' }] })).toEqual({
      screen: 'profile',
      sessionId: id,
      submitting: false,
      profiles: [{ id: 'p1', name: 'Alex' }],
    });
    expect(shown({ sessionId: id, authenticated: false, step: 'new-password' })).toEqual({ screen: 'new-password', sessionId: id, submitting: false });
  });

  it('ignores a repeated tool result once the user has moved on', () => {
    const moved = run(credentials, { type: 'credentials_submitted' }, accepted);
    expect(run(moved, { type: 'session_shown', result: { sessionId: id, authenticated: false, step: 'credentials' }, at: AT })).toBe(moved);
  });

  it('goes credentials → submitting → verifying', () => {
    const submitting = run(credentials, { type: 'credentials_submitted' });
    expect(submitting).toEqual({ ...credentials, submitting: true });
    expect(run(submitting, { type: 'credentials_submitted' })).toBe(submitting);
    expect(run(submitting, accepted)).toEqual(verifying);
    // An authenticator app code: nothing to resend.
    const totp = run(submitting, { type: 'code_sent', result: { ...sent, delivery: { method: 'totp' } }, at: AT });
    expect(totp).toMatchObject({ screen: 'verifying', delivery: { method: 'totp' } });
    expect(totp).not.toHaveProperty('resendAt');
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
    expect(wrong).toEqual({ ...verifying, error: 'Nope. 4 attempts left.', attemptsLeft: 4, retryable: false, round: 1 });
    const locked = run(wrong, { type: 'code_submitted' }, { type: 'sign_in_locked', message: 'Locked: start a new sign-in.' });
    expect(locked).toEqual({ screen: 'locked', message: 'Locked: start a new sign-in.' });
    for (const event of [{ type: 'code_submitted' }, { type: 'resend_submitted' }, { type: 'session_ended', message: 'Expired.' }] as const) {
      expect(run(locked, event)).toBe(locked);
    }
  });

  it('opens locked from loading or credentials, never over success or another screen', () => {
    const lock = { type: 'sign_in_locked', message: 'Locked.' } as const;
    for (const state of [initialScreen, credentials]) expect(run(state, lock)).toEqual({ screen: 'locked', message: 'Locked.' });
    for (const state of [success, { screen: 'forgot', sessionId: id, submitting: false } as const]) expect(run(state, lock)).toBe(state);
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
    expect(run(verifying, { type: 'code_submitted' }, { type: 'request_failed', message: 'Offline.' })).toMatchObject({
      submitting: false,
      error: 'Offline.',
      retryable: true,
    });
  });

  it('ignores events that do not apply to the current screen', () => {
    expect(run(credentials, { type: 'code_submitted' })).toBe(credentials);
    expect(run(credentials, { type: 'code_accepted', name: 'X', email: 'x@example.com' })).toBe(credentials);
    expect(run(verifying, accepted)).toBe(verifying);
    expect(run(verifying, { type: 'forgot_opened' })).toBe(verifying);
    expect(run(credentials, { type: 'profile_required', profiles: [] })).toBe(credentials);
    expect(run(credentials, { type: 'new_password_required' })).toBe(credentials);
    expect(run(credentials, { type: 'authenticator_required', purpose: 'reset' })).toBe(credentials);
    expect(run(success, { type: 'request_failed', message: 'x' })).toBe(success);
    expect(run(credentials, { type: 'retry_requested' })).toBe(credentials);
  });

  it('ignores a second code submission while one is in flight', () => {
    const submitting = run(verifying, { type: 'code_submitted' });
    expect(run(submitting, { type: 'code_submitted' })).toBe(submitting);
    expect(run(submitting, { type: 'resend_submitted' })).toBe(submitting);
  });

  it('marks the challenge being solved on the credentials screen, only while submitting', () => {
    expect(run(credentials, { type: 'challenge_required' })).toBe(credentials);
    expect(run(credentials, { type: 'credentials_submitted' }, { type: 'challenge_required' })).toEqual({ ...credentials, submitting: true, checking: true });
    expect(run(credentials, { type: 'credentials_submitted' }, { type: 'challenge_required' }, accepted)).toEqual(verifying);
  });

  it('goes forgot password → reset code → new password → success, and back from the e-mail form', () => {
    const forgot = run(credentials, { type: 'forgot_opened' });
    expect(forgot).toEqual({ screen: 'forgot', sessionId: id, submitting: false });
    expect(run(forgot, { type: 'forgot_closed' })).toEqual(credentials);
    const sending = run(forgot, { type: 'reset_submitted' });
    expect(run(sending, { type: 'forgot_closed' })).toBe(sending);
    expect(run(sending, { type: 'reset_rejected', message: 'Slow down.' })).toEqual({ ...forgot, error: 'Slow down.' });
    const code = run(sending, { type: 'code_sent', result: { ...sent, purpose: 'reset' }, at: AT });
    expect(code).toEqual({ ...verifying, purpose: 'reset' });
    const choose = run(code, { type: 'code_submitted' }, { type: 'new_password_required' });
    expect(choose).toEqual({ screen: 'new-password', sessionId: id, submitting: false });
    const saving = run(choose, { type: 'password_submitted' });
    expect(run(saving, { type: 'password_submitted' })).toBe(saving);
    expect(run(saving, { type: 'password_rejected', message: 'Too easy.' })).toEqual({ ...choose, error: 'Too easy.' });
    expect(run(saving, { type: 'code_accepted', name: 'Lauren Bailey', email: 'l@example.com' })).toEqual(success);
  });

  it("after a reset's mailed code, asks for the authenticator app's code: fresh boxes, no resend, then the new password", () => {
    const code = run(credentials, { type: 'forgot_opened' }, { type: 'reset_submitted' }, { type: 'code_sent', result: { ...sent, purpose: 'reset' }, at: AT });
    const failed = run(code, { type: 'code_submitted' }, { type: 'code_rejected', message: 'Wrong.', attemptsLeft: 4 });
    const app = run(failed, { type: 'code_submitted' }, { type: 'authenticator_required', purpose: 'reset' });
    expect(app).toEqual({
      screen: 'verifying',
      sessionId: id,
      submitting: false,
      purpose: 'reset',
      delivery: { method: 'totp' },
      notice: 'Email confirmed. Now the code from your authenticator app.',
      round: 2,
    });
    expect(run(app, { type: 'code_submitted' }, { type: 'new_password_required' })).toEqual({ screen: 'new-password', sessionId: id, submitting: false });
  });

  it("opens on a link's code step (back from an upstream provider), and keeps it a link through the authenticator step", () => {
    const shown = run(initialScreen, {
      type: 'session_shown',
      result: { sessionId: id, authenticated: false, step: 'verify', purpose: 'link', delivery: { method: 'email', sentTo: 'h•••@example.com' } },
      at: AT,
    });
    expect(shown).toMatchObject({ screen: 'verifying', purpose: 'link', delivery: { method: 'email' } });
    expect(run(shown, { type: 'code_submitted' }, { type: 'authenticator_required', purpose: 'link' })).toMatchObject({ screen: 'verifying', purpose: 'link', delivery: { method: 'totp' } });
  });

  it('resends a code: one request at a time, a notice, a new cooldown, boxes cleared', () => {
    const resending = run(verifying, { type: 'resend_submitted' });
    expect(resending).toMatchObject({ resending: true });
    expect(run(resending, { type: 'resend_submitted' })).toBe(resending);
    const resent = run(resending, { type: 'code_resent', result: sent, at: AT + 40_000 });
    expect(resent).toMatchObject({ resending: false, resendAt: AT + 70_000, notice: 'We sent you a new code.', round: 1 });
    expect(run(resending, { type: 'resend_refused', message: 'Wait.' })).toMatchObject({ resending: false, error: 'Wait.' });
  });

  it('picks a profile for a household account', () => {
    const profiles = [
      { id: 'p1', name: 'Sam' },
      { id: 'p2', name: 'Alex' },
    ];
    const picker = run(verifying, { type: 'code_submitted' }, { type: 'profile_required', profiles });
    expect(picker).toEqual({ screen: 'profile', sessionId: id, submitting: false, profiles });
    const choosing = run(picker, { type: 'profile_submitted' });
    expect(run(choosing, { type: 'profile_submitted' })).toBe(choosing);
    expect(run(choosing, { type: 'profile_rejected', message: 'Choose one.' })).toEqual({ ...picker, error: 'Choose one.' });
    expect(run(choosing, { type: 'code_accepted', name: 'Sam', email: 's@example.com', profile: 'Alex' })).toEqual({
      screen: 'success',
      name: 'Sam',
      email: 's@example.com',
      profile: 'Alex',
    });
  });

  it('throws on an unknown event', () => {
    expect(() => authReducer(credentials, { type: 'teleport' } as unknown as AuthEvent)).toThrow(/Unknown widget event/);
  });

  describe('upstream sign-in in a chat', () => {
    const google = { id: 'google', name: 'Google' };
    const startedResult = { step: 'upstream' as const, provider: google, url: 'https://t.example/auth/start/x', code: 'BCDF-GHJK', expiresAt: '2026-12-05T04:00:00.000Z' };
    const away: WidgetScreen = { screen: 'upstream', sessionId: id, provider: google, code: 'BCDF-GHJK', url: startedResult.url, opened: true, cancelling: false };
    const checked = (result: Extract<AuthEvent, { type: 'upstream_checked' }>['result']): AuthEvent => ({ type: 'upstream_checked', result, at: AT });

    it('goes away from a submitted credentials screen only, and once', () => {
      expect(run(credentials, { type: 'upstream_submitted' }, { type: 'upstream_started', result: startedResult, opened: true })).toEqual(away);
      expect(run(credentials, { type: 'upstream_started', result: startedResult, opened: true })).toEqual(credentials);
      expect(run({ ...credentials, submitting: true }, { type: 'upstream_submitted' })).toEqual({ ...credentials, submitting: true });
      expect(run(verifying, { type: 'upstream_submitted' })).toEqual(verifying);
      expect(run(credentials, { type: 'upstream_submitted' }, { type: 'upstream_started', result: startedResult, opened: false })).toEqual({ ...away, opened: false });
    });

    it('stays while the tab is still at the provider; moves on to what the tab finished with', () => {
      expect(run(away, checked({ sessionId: id, authenticated: false, step: 'upstream' }))).toBe(away);
      expect(run(away, checked({ sessionId: id, authenticated: true, name: 'Nia', email: 'n@example.com' }))).toEqual({ screen: 'success', name: 'Nia', email: 'n@example.com' });
      expect(run(away, checked({ sessionId: id, authenticated: false, step: 'profile', profiles: [] }))).toEqual({ screen: 'profile', sessionId: id, submitting: false, profiles: [] });
      expect(run(away, checked({ sessionId: id, authenticated: false, step: 'credentials' }))).toEqual({ ...credentials, error: "Signing in with Google didn't finish. Try again, or use your password." });
      expect(run({ screen: 'upstream', sessionId: id, opened: true, cancelling: false }, checked({ sessionId: id, authenticated: false, step: 'credentials' }))).toEqual({ ...credentials, error: "Signing in didn't finish. Try again, or use your password." });
    });

    it('ignores a poll that lands elsewhere or while a cancel is under way', () => {
      const done = checked({ sessionId: id, authenticated: true, name: 'Nia', email: 'n@example.com' });
      expect(run(credentials, done)).toBe(credentials);
      expect(run({ ...away, cancelling: true }, done)).toEqual({ ...away, cancelling: true });
    });

    it('cancels once; back at credentials without a word, unless the tab had finished; a failed cancel frees the buttons', () => {
      const cancelling = run(away, { type: 'upstream_cancel_submitted' });
      expect(cancelling).toEqual({ ...away, cancelling: true });
      expect(run(cancelling, { type: 'upstream_cancel_submitted' })).toBe(cancelling);
      expect(run(credentials, { type: 'upstream_cancel_submitted' })).toBe(credentials);
      expect(run(cancelling, { type: 'upstream_cancelled', result: { sessionId: id, authenticated: false, step: 'credentials' }, at: AT })).toEqual(credentials);
      expect(run(cancelling, { type: 'upstream_cancelled', result: { sessionId: id, authenticated: true, name: 'Nia', email: 'n@example.com' }, at: AT })).toMatchObject({ screen: 'success' });
      expect(run(credentials, { type: 'upstream_cancelled', result: { sessionId: id, authenticated: false, step: 'credentials' }, at: AT })).toBe(credentials);
      expect(run(cancelling, { type: 'request_failed', message: 'offline' })).toEqual(away);
      expect(run(away, { type: 'sign_in_locked', message: 'Locked.' })).toEqual({ screen: 'locked', message: 'Locked.' });
    });

    it('reopens on the waiting screen, without a code', () => {
      expect(run(initialScreen, { type: 'session_shown', result: { sessionId: id, authenticated: false, step: 'upstream' }, at: AT })).toEqual({ screen: 'upstream', sessionId: id, opened: true, cancelling: false });
    });
  });
});
