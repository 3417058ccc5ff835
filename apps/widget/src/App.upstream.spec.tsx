/**
 * "Continue with Google" inside a chat: the widget asks for a start link, the
 * host opens it (or the widget shows it), the code the start page asks for is
 * on screen, and polling check-target-upstream moves the screens on.
 */
import { describe, expect, it } from '@jest/globals';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from './App';
import { FakeBridge } from './testing/fake-bridge';

const sessionId = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';
const URL_ = 'https://target.example/auth/start/v1.a.b.c';
const GOOGLE = { id: 'google', name: 'Google' };
const started = { structuredContent: { step: 'upstream', provider: GOOGLE, url: URL_, code: 'BCDF-GHJK', expiresAt: '2026-12-05T04:00:00.000Z' } };
const pending = (step: string, more: object = {}) => ({ structuredContent: { sessionId, authenticated: false, step, ...more } });

function setup(opened: object = pending('credentials', { providers: [GOOGLE, { id: 'microsoft', name: 'Microsoft' }] })) {
  const bridge = new FakeBridge();
  render(<App bridge={bridge} pollMs={20} device={() => undefined} />);
  act(() => {
    bridge.events.toolInput({ sessionId });
    bridge.events.toolResult(opened);
  });
  return { bridge, user: userEvent.setup() };
}

const checks = (bridge: FakeBridge) => bridge.calls.filter((call) => call.name === 'check-target-upstream');

describe('App: upstream sign-in in a chat', () => {
  it('opens the start link through the host, shows the code, and polls until the tab has signed in', async () => {
    const { bridge, user } = setup();
    expect(screen.getByRole('group', { name: 'Other ways to sign in' })).toBeVisible();
    bridge.answer.mockImplementation(async (name) => (name === 'start-target-upstream' ? started : pending('upstream')));
    await user.click(screen.getByRole('button', { name: 'Continue with Google' }));
    await screen.findByRole('heading', { name: 'Continue in the new tab' });
    expect(bridge.calls[0]).toEqual({ name: 'start-target-upstream', args: { sessionId, provider: 'google' } });
    expect(bridge.opened).toEqual([URL_]);
    expect(screen.getByLabelText('Code: B C D F - G H J K')).toHaveTextContent('BCDF-GHJK');
    expect(screen.getByRole('status')).toHaveTextContent('Waiting for you to finish signing in…');
    expect(screen.queryByRole('link')).toBeNull();
    await waitFor(() => expect(checks(bridge).length).toBeGreaterThanOrEqual(2));
    expect(screen.getByRole('heading', { name: 'Continue in the new tab' })).toBeVisible();
    expect(checks(bridge)[0]!.args).toEqual({ sessionId });

    bridge.answer.mockResolvedValue({ structuredContent: { sessionId, authenticated: true, name: 'Nia Newcomer', email: 'nia@example.com' } });
    await screen.findByText('Welcome Back!');
    expect(bridge.signedInWith).toEqual([{ authenticated: true, name: 'Nia Newcomer', email: 'nia@example.com' }]);
    const polled = checks(bridge).length;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(checks(bridge).length).toBe(polled);
  });

  it('shows the link to open when the host cannot, and goes on to the code step a link asks for', async () => {
    const { bridge, user } = setup();
    bridge.opensLinks = false;
    bridge.answer.mockImplementation(async (name) => (name === 'start-target-upstream' ? started : pending('upstream')));
    await user.click(screen.getByRole('button', { name: 'Continue with Google' }));
    await screen.findByRole('heading', { name: 'Sign in with Google' });
    expect(screen.getByRole('link', { name: 'Open Google sign-in' })).toHaveAttribute('href', URL_);
    expect(screen.getByRole('link', { name: 'Open Google sign-in' })).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getByLabelText('Or copy the link')).toHaveValue(URL_);
    bridge.answer.mockResolvedValue(pending('verify', { purpose: 'link', delivery: { method: 'email', sentTo: 'h•••@example.com' } }));
    await screen.findByRole('heading', { name: "Confirm it's your account" });
  });

  it('shows the link when asking the host fails outright, and selects it whole when focused', async () => {
    const { bridge, user } = setup();
    bridge.openLink = async () => Promise.reject(new Error('host gone'));
    bridge.answer.mockImplementation(async (name) => (name === 'start-target-upstream' ? started : pending('upstream')));
    await user.click(screen.getByRole('button', { name: 'Continue with Google' }));
    await screen.findByRole('heading', { name: 'Sign in with Google' });
    const copy = screen.getByLabelText<HTMLInputElement>('Or copy the link');
    await user.click(copy);
    expect([copy.selectionStart, copy.selectionEnd]).toEqual([0, URL_.length]);
  });

  it('says a sign-in that ended in the tab did not finish, offering both ways again', async () => {
    const { bridge, user } = setup();
    bridge.answer.mockImplementation(async (name) => (name === 'start-target-upstream' ? started : pending('credentials')));
    await user.click(screen.getByRole('button', { name: 'Continue with Google' }));
    await screen.findByText("Signing in with Google didn't finish. Try again, or use your password.");
    expect(screen.getByRole('button', { name: 'Continue with Microsoft' })).toBeEnabled();
    expect(screen.getByLabelText('Password')).toBeEnabled();
  });

  it('"Use your password instead" gives the tab up and stops polling', async () => {
    const { bridge, user } = setup();
    bridge.answer.mockImplementation(async (name, args) => {
      if (name === 'start-target-upstream') return started;
      return args['cancel'] ? pending('credentials') : pending('upstream');
    });
    await user.click(screen.getByRole('button', { name: 'Continue with Google' }));
    await user.click(await screen.findByRole('button', { name: 'Use your password instead' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(bridge.calls.filter((call) => call.args['cancel'] === true)).toHaveLength(1);
    const polled = checks(bridge).length;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(checks(bridge).length).toBe(polled);
  });

  it('a cancel that fails leaves the screen usable; one that arrives after the tab finished shows the sign-in', async () => {
    const { bridge, user } = setup();
    let cancels = 0;
    bridge.answer.mockImplementation(async (name, args) => {
      if (name === 'start-target-upstream') return started;
      if (!args['cancel']) return pending('upstream');
      cancels++;
      if (cancels === 1) throw new Error('offline');
      return { structuredContent: { sessionId, authenticated: true, name: 'Nia Newcomer', email: 'nia@example.com' } };
    });
    await user.click(screen.getByRole('button', { name: 'Continue with Google' }));
    await user.click(await screen.findByRole('button', { name: 'Use your password instead' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Use your password instead' })).toBeEnabled());
    await user.click(screen.getByRole('button', { name: 'Use your password instead' }));
    await screen.findByText('Welcome Back!');
  });

  it('keeps the credentials screen with the reason when the server will not start one', async () => {
    const { bridge, user } = setup();
    bridge.answer.mockResolvedValue({ isError: true, structuredContent: { error: 'unavailable', message: 'Google cannot be reached right now. Try again in a moment.' } });
    await user.click(screen.getByRole('button', { name: 'Continue with Google' }));
    await screen.findByText('Google cannot be reached right now. Try again in a moment.');
    expect(bridge.opened).toEqual([]);
  });

  it('reopened while away, it waits for the other tab and can start again', async () => {
    const { bridge, user } = setup(pending('upstream', { providers: [GOOGLE] }));
    await screen.findByRole('heading', { name: 'Finish in the other tab' });
    expect(screen.getByText(/A sign-in with the other provider is under way/)).toBeVisible();
    bridge.answer.mockImplementation(async (_name, args) => (args['cancel'] ? pending('credentials') : pending('upstream')));
    await user.click(screen.getByRole('button', { name: 'Start again' }));
    await screen.findByRole('button', { name: 'Continue with Google' });
  });

  it('an expired or locked sign-in ends the wait', async () => {
    const { bridge } = setup(pending('upstream'));
    bridge.answer.mockResolvedValue({ isError: true, structuredContent: { error: 'expired', message: 'Your session has expired. Please sign in again.' } });
    await screen.findByText('Sign-in expired');
  });

  it('passing poll failures are tried again without a word', async () => {
    const { bridge, user } = setup();
    let polls = 0;
    bridge.answer.mockImplementation(async (name) => {
      if (name === 'start-target-upstream') return started;
      polls++;
      if (polls === 1) throw new Error('offline');
      if (polls === 2) return { isError: true, structuredContent: { error: 'unavailable', message: 'Sign-in is temporarily unavailable.' } };
      return { structuredContent: { sessionId, authenticated: true, name: 'Nia Newcomer', email: 'nia@example.com' } };
    });
    await user.click(screen.getByRole('button', { name: 'Continue with Google' }));
    await screen.findByText('Welcome Back!');
    expect(polls).toBe(3);
  });

  it('without providers, still offers a passkey (and nothing else)', () => {
    setup(pending('credentials'));
    const group = screen.getByRole('group', { name: 'Other ways to sign in' });
    expect([...group.querySelectorAll('button')].map((button) => button.textContent)).toEqual(['Sign in with a passkey']);
  });

  it('hands "Sign in with a passkey" to the person\'s browser: the start link, the code, and polling until the passkey page signed in', async () => {
    const { bridge, user } = setup(pending('credentials'));
    const passkeyStarted = { structuredContent: { ...started.structuredContent, provider: { id: 'passkey', name: 'a passkey' } } };
    bridge.answer.mockImplementation(async (name) => (name === 'start-target-upstream' ? passkeyStarted : pending('upstream')));
    await user.click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    await screen.findByRole('heading', { name: 'Continue in the new tab' });
    expect(bridge.calls[0]).toEqual({ name: 'start-target-upstream', args: { sessionId, provider: 'passkey' } });
    expect(bridge.opened).toEqual([URL_]);
    expect(screen.getByText('Sign in with a passkey in the tab that opened. When it asks, type this code:')).toBeVisible();
    expect(screen.getByLabelText('Code: B C D F - G H J K')).toBeVisible();
    await waitFor(() => expect(checks(bridge).length).toBeGreaterThanOrEqual(1));
    bridge.answer.mockResolvedValue({ structuredContent: { sessionId, authenticated: true, name: 'Ada Lovelace', email: 'ada@example.com' } });
    await screen.findByText('Welcome Back!');
  });
});
