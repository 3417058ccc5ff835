import { describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ProofOfWorkChallenge } from '@target-auth/shared/tools';
import { App } from './App';
import { FakeBridge } from './testing/fake-bridge';

const sessionId = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';

function setup(loadTimeoutMs = 10_000, solveChallenge = async (_challenge: ProofOfWorkChallenge) => 'solved-challenge', device = (): string | undefined => undefined) {
  const bridge = new FakeBridge();
  render(<App bridge={bridge} loadTimeoutMs={loadTimeoutMs} solveChallenge={solveChallenge} device={device} />);
  const open = (structuredContent: object, isError = false) =>
    act(() => {
      bridge.events.toolInput({ sessionId });
      bridge.events.toolResult({ structuredContent, isError });
    });
  return { bridge, open, user: userEvent.setup() };
}

async function signIn(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Email address'), 'lauren@example.com');
  await user.type(screen.getByLabelText('Password'), 'hunter2');
  await user.click(screen.getByRole('button', { name: 'Sign In' }));
}

describe(App.name, () => {
  it('runs the whole flow through the bridge and tells the host who signed in', async () => {
    const { bridge, open, user } = setup();
    expect(screen.getByText('Loading sign-in…')).toBeVisible();
    open({ sessionId, authenticated: false, step: 'credentials' });
    bridge.answer.mockResolvedValueOnce({ structuredContent: { step: 'verify' } });
    await signIn(user);
    await screen.findByText("Verify it's you");
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' } });
    await user.keyboard('123456');
    await screen.findByText('Welcome Back!');
    expect(screen.getByText('Authenticated as Lauren Bailey')).toBeVisible();
    expect(bridge.calls).toEqual([
      { name: 'submit-target-credentials', args: { sessionId, email: 'lauren@example.com', password: 'hunter2' } },
      { name: 'verify-target-code', args: { sessionId, code: '123456' } },
    ]);
    expect(bridge.signedInWith).toEqual([{ authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' }]);
  });

  it("sends this browser's device key with the credentials and a reset request, and with nothing else", async () => {
    const key = 'K'.repeat(43);
    const { bridge, open, user } = setup(10_000, undefined, () => key);
    open({ sessionId, authenticated: false, step: 'credentials' });
    bridge.answer.mockResolvedValueOnce({ isError: true, structuredContent: { error: 'invalid_credentials', message: 'Email or password is incorrect.' } });
    await signIn(user);
    await screen.findByText('Email or password is incorrect.');
    await user.click(screen.getByRole('button', { name: 'Forgot password?' }));
    bridge.answer.mockResolvedValueOnce({ structuredContent: { step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'l•••@example.com' } } });
    await user.type(screen.getByLabelText('Email address'), 'lauren@example.com');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    await screen.findByText('Reset your password');
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: false, step: 'new-password' } });
    await user.keyboard('123456');
    await screen.findByLabelText('New password');
    expect(bridge.calls.map((call) => [call.name, call.args['device']])).toEqual([
      ['submit-target-credentials', key],
      ['reset-target-password', key],
      ['verify-target-code', undefined],
    ]);
  });

  it('after a reset code, asks an account with an authenticator app for its code before the new password', async () => {
    const { bridge, open, user } = setup();
    open({ sessionId, authenticated: false, step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'l•••@example.com' } });
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: false, step: 'verify', purpose: 'reset', delivery: { method: 'totp' } } });
    await user.keyboard('123456');
    await screen.findByText('Enter the 6-digit code from your authenticator app.');
    expect(screen.getByText('Reset your password')).toBeVisible();
    expect(screen.getByText('Email confirmed. Now the code from your authenticator app.')).toBeVisible();
    expect(screen.queryByRole('button', { name: /Send a new code/ })).toBeNull();
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: false, step: 'new-password' } });
    await user.keyboard('654321');
    await screen.findByLabelText('New password');
    expect(bridge.calls.map((call) => call.args['code'])).toEqual(['123456', '654321']);
  });

  it('sends one verify-target-code when the code is completed twice before the screen updates', async () => {
    const { bridge, open } = setup();
    open({ sessionId, authenticated: false, step: 'verify' });
    let answer!: (result: { structuredContent: object }) => void;
    bridge.answer.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const paste = () => fireEvent.paste(screen.getByLabelText('Digit 1 of 6'), { clipboardData: { getData: () => '123456' } });
    act(() => {
      paste();
      paste();
    });
    await act(async () => answer({ structuredContent: { authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' } }));
    await screen.findByText('Welcome Back!');
    expect(bridge.calls.filter((call) => call.name === 'verify-target-code')).toHaveLength(1);
  });

  it('hands the host only the name and e-mail after sign-in: never the password or the code', async () => {
    const { bridge, open, user } = setup();
    open({ sessionId, authenticated: false, step: 'credentials' });
    bridge.answer.mockResolvedValueOnce({ structuredContent: { step: 'verify' } });
    await signIn(user);
    await screen.findByText("Verify it's you");
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' } });
    await user.keyboard('424242');
    await screen.findByText('Welcome Back!');
    const handedOver = JSON.stringify(bridge.signedInWith);
    expect(handedOver).not.toContain('hunter2');
    expect(handedOver).not.toContain('424242');
  });

  it('opens straight on the success screen for a signed-in session', () => {
    const { open } = setup();
    open({ sessionId, authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' });
    expect(screen.getByText('Welcome Back!')).toBeVisible();
  });

  it('shows attempts left after a wrong code, and the lock after the last one', async () => {
    const { bridge, open, user } = setup();
    open({ sessionId, authenticated: false, step: 'verify' });
    bridge.answer.mockResolvedValueOnce({ isError: true, structuredContent: { error: 'wrong_code', message: 'That code is not right. 4 attempts left.', attemptsLeft: 4 } });
    await user.keyboard('111111');
    expect(await screen.findByRole('alert')).toHaveTextContent('4 attempts left');
    expect(screen.getByLabelText('Digit 1 of 6')).toHaveFocus();
    expect(screen.getByLabelText('Digit 1 of 6')).toHaveValue('');
    bridge.answer.mockResolvedValueOnce({ isError: true, structuredContent: { error: 'locked', message: 'Too many wrong codes. This sign-in is locked: start a new sign-in.', attemptsLeft: 0 } });
    await user.keyboard('222222');
    expect(await screen.findByRole('heading')).toHaveTextContent('Sign-in locked');
    expect(screen.getByRole('alert')).toHaveTextContent('start a new sign-in');
    expect(screen.queryByLabelText('Digit 1 of 6')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('opens on the locked screen for a locked session', () => {
    const { open } = setup();
    open({ error: 'locked', message: 'Too many wrong codes. This sign-in is locked: start a new sign-in.', attemptsLeft: 0 }, true);
    expect(screen.getByRole('heading')).toHaveTextContent('Sign-in locked');
    expect(screen.queryByLabelText('Digit 1 of 6')).toBeNull();
  });

  it('shows the expired screen for an expired session', () => {
    const { open } = setup();
    open({ error: 'expired', message: 'Your session has expired. Please sign in again.' }, true);
    expect(screen.getByRole('alert')).toHaveTextContent('Your session has expired. Please sign in again.');
  });

  it('keeps the form and says so when the host cannot be reached', async () => {
    const { bridge, open, user } = setup();
    open({ sessionId, authenticated: false, step: 'credentials' });
    bridge.answer.mockRejectedValueOnce(new Error('offline'));
    await signIn(user);
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't reach Target");
    expect(screen.getByRole('button', { name: 'Sign In' })).toBeEnabled();
  });

  it('never spins forever: no data means an error with a retry', async () => {
    const { bridge, user } = setup(50);
    act(() => bridge.events.toolInput({ sessionId }));
    const retry = await screen.findByRole('button', { name: 'Retry' });
    bridge.answer.mockResolvedValueOnce({ structuredContent: { sessionId, authenticated: false, step: 'credentials' } });
    await user.click(retry);
    await screen.findByLabelText('Email address');
    expect(bridge.calls[0]).toEqual({ name: 'authenticate-target', args: { sessionId } });
  });

  it('applies the CSS variables the host sends', () => {
    const { bridge } = setup();
    act(() => bridge.events.styles({ '--color-background-primary': '#101010', color: 'red' }));
    expect(document.documentElement.style.getPropertyValue('--color-background-primary')).toBe('#101010');
    expect(document.documentElement.style.getPropertyValue('color')).toBe('');
  });

  it('follows the theme the host sends', async () => {
    const { bridge } = setup();
    act(() => bridge.events.theme('dark'));
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('dark'));
    act(() => bridge.events.theme('light'));
    await waitFor(() => expect(document.documentElement.dataset['theme']).toBe('light'));
  });

  it('solves the challenge the server asks for in the background, showing "Checking…", and resubmits once', async () => {
    let release!: (answer: string) => void;
    const solver = jest.fn((_challenge: ProofOfWorkChallenge) => new Promise<string>((resolve) => (release = resolve)));
    const { bridge, open, user } = setup(10_000, solver);
    open({ sessionId, authenticated: false, step: 'credentials' });
    const challenge = { parameters: { algorithm: 'SHA-256' }, signature: 'sig' };
    bridge.answer.mockResolvedValueOnce({ isError: true, structuredContent: { error: 'challenge_required', message: 'Checking…', challenge } });
    bridge.answer.mockResolvedValueOnce({ structuredContent: { step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'l•••@example.com' } } });
    await signIn(user);
    expect(await screen.findByRole('button', { name: 'Checking…' })).toBeDisabled();
    expect(solver).toHaveBeenCalledWith(challenge);
    await act(async () => release('the-answer'));
    await screen.findByText('Enter the 6-digit code we sent to l•••@example.com.');
    expect(bridge.calls).toEqual([
      { name: 'submit-target-credentials', args: { sessionId, email: 'lauren@example.com', password: 'hunter2' } },
      { name: 'submit-target-credentials', args: { sessionId, email: 'lauren@example.com', password: 'hunter2', altcha: 'the-answer' } },
    ]);
  });

  it('does not loop when a solved challenge is refused again', async () => {
    const { bridge, open, user } = setup();
    open({ sessionId, authenticated: false, step: 'credentials' });
    const again = { isError: true, structuredContent: { error: 'challenge_required', message: 'Checking…', challenge: { parameters: {}, signature: 's' } } };
    bridge.answer.mockResolvedValueOnce(again).mockResolvedValueOnce(again);
    await signIn(user);
    expect(await screen.findByRole('alert')).toHaveTextContent("We couldn't check your browser. Try again.");
    expect(bridge.calls).toHaveLength(2);
  });

  it('resets a forgotten password: e-mail, code, new password, signed in', async () => {
    const { bridge, open, user } = setup();
    open({ sessionId, authenticated: false, step: 'credentials' });
    await user.click(screen.getByRole('button', { name: 'Forgot password?' }));
    await user.type(screen.getByLabelText('Email address'), 'lauren@example.com');
    bridge.answer.mockResolvedValueOnce({ structuredContent: { step: 'verify', purpose: 'reset', delivery: { method: 'email', sentTo: 'l•••@example.com' } } });
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    await screen.findByRole('heading', { name: 'Reset your password' });
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: false, step: 'new-password' } });
    await user.keyboard('123456');
    await screen.findByRole('heading', { name: 'Choose a new password' });
    bridge.answer.mockResolvedValueOnce({ isError: true, structuredContent: { error: 'weak_password', message: 'This password is too easy to guess.' } });
    await user.type(screen.getByLabelText('New password'), 'password1');
    await user.click(screen.getByRole('button', { name: 'Save and sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('too easy to guess');
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' } });
    await user.clear(screen.getByLabelText('New password'));
    await user.type(screen.getByLabelText('New password'), 'Lantern-Maple-Voyage-7');
    await user.click(screen.getByRole('button', { name: 'Save and sign in' }));
    await screen.findByText('Welcome Back!');
    expect(bridge.calls.map((call) => call.name)).toEqual([
      'reset-target-password',
      'verify-target-code',
      'set-target-password',
      'set-target-password',
    ]);
    expect(JSON.stringify(bridge.signedInWith)).not.toContain('Lantern');
  });

  it('asks a household who is signing in, and greets the chosen profile', async () => {
    const { bridge, open, user } = setup();
    open({ sessionId, authenticated: false, step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'h•••@example.com' } });
    const profiles = [
      { id: 'p1', name: 'Sam Home' },
      { id: 'p2', name: 'Alex Home' },
    ];
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: false, step: 'profile', profiles } });
    await user.keyboard('123456');
    await screen.findByRole('heading', { name: "Who's signing in?" });
    bridge.answer.mockResolvedValueOnce({ structuredContent: { authenticated: true, name: 'Sam Home', email: 'home@example.com', profile: 'Alex Home' } });
    await user.click(screen.getByRole('button', { name: /Alex Home/ }));
    await screen.findByText('Authenticated as Alex Home');
    expect(bridge.calls.at(-1)).toEqual({ name: 'select-target-profile', args: { sessionId, profileId: 'p2' } });
    expect(bridge.signedInWith).toEqual([{ authenticated: true, name: 'Sam Home', email: 'home@example.com', profile: 'Alex Home' }]);
  });

  it('sends a new code when asked, once the cooldown is over', async () => {
    const { bridge, open, user } = setup();
    open({ sessionId, authenticated: false, step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'l•••@example.com' } });
    bridge.answer.mockResolvedValueOnce({ structuredContent: { step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'l•••@example.com' } } });
    await user.click(screen.getByRole('button', { name: 'Send a new code' }));
    expect(await screen.findByText('We sent you a new code.')).toBeVisible();
    expect(screen.getByRole('button', { name: /Send a new code in \d+ s/ })).toBeDisabled();
    expect(bridge.calls).toEqual([{ name: 'resend-target-code', args: { sessionId } }]);
  });
});
