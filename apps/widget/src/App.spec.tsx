import { describe, expect, it } from '@jest/globals';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from './App';
import { FakeBridge } from './testing/fake-bridge';

const sessionId = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';

function setup(loadTimeoutMs = 10_000) {
  const bridge = new FakeBridge();
  render(<App bridge={bridge} loadTimeoutMs={loadTimeoutMs} />);
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
    expect(await screen.findByRole('alert')).toHaveTextContent('start a new sign-in');
    expect(screen.getByLabelText('Digit 1 of 6')).toBeDisabled();
  });

  it('shows the expired screen for an expired session', () => {
    const { open } = setup();
    open({ error: 'expired', message: 'Your session has expired. Please log in again.' }, true);
    expect(screen.getByRole('alert')).toHaveTextContent('Your session has expired. Please log in again.');
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
});
