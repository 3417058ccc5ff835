/**
 * The passkey page a chat's "Sign in with a passkey" leads to: the browser's
 * prompt on a press, then where the chat goes on; a pass that is spent, a
 * server out of reach, a cancelled prompt and a browser without WebAuthn each
 * say so.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CodeAcceptedResult } from '@target-auth/shared/tools';
import { PasskeyPageApp } from './PasskeyPageApp';
import { type PasskeyPageApi, PasskeyPageError } from './passkey-page-api';

const OPTIONS = { challenge: 'Y2hhbGxlbmdl', rpId: 'target.example' };

function setup(overrides: Partial<PasskeyPageApi> = {}, passkeys: { authenticate?: () => Promise<unknown>; supported?: () => boolean } = {}) {
  const api: PasskeyPageApi = {
    ready: jest.fn(async () => undefined),
    passkeyOptions: jest.fn(async () => OPTIONS),
    passkeySignIn: jest.fn(async (): Promise<CodeAcceptedResult> => ({ authenticated: true, name: 'Ada Lovelace', email: 'ada@example.com' })),
    ...overrides,
  };
  const authenticate = jest.fn<(options: unknown) => Promise<unknown>>(passkeys.authenticate ?? (async () => ({ id: 'credential' })));
  render(<PasskeyPageApp api={api} passkeys={{ authenticate, supported: passkeys.supported ?? (() => true) }} />);
  return { api, authenticate, user: userEvent.setup() };
}

describe(PasskeyPageApp.name, () => {
  it('runs the passkey prompt on a press, and sends the person back to the chat once signed in', async () => {
    const { api, authenticate, user } = setup();
    await screen.findByRole('heading', { name: 'Sign in with a passkey' });
    expect(authenticate).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Use your passkey' }));
    await screen.findByRole('heading', { name: 'You are signed in to Target' });
    expect(screen.getByText('Go back to the chat: it shows you as signed in. You can close this tab.')).toBeVisible();
    expect(authenticate).toHaveBeenCalledWith({ optionsJSON: OPTIONS });
    expect(api.passkeySignIn).toHaveBeenCalledWith('pass', { id: 'credential' });
    // Nothing of the account shows on the page: the chat shows who signed in.
    expect(screen.queryByText(/Ada|ada@example\.com/)).toBeNull();
  });

  it('says one more step waits in the chat for a household (or a code)', async () => {
    const { user } = setup({ passkeySignIn: async () => ({ authenticated: false, step: 'profile', profiles: [] }) });
    await user.click(await screen.findByRole('button', { name: 'Use your passkey' }));
    await screen.findByRole('heading', { name: 'One more step in the chat' });
  });

  it("shows the server's refusal and a cancelled prompt under the button, and lets the person try again", async () => {
    let refuse = true;
    const { user } = setup({
      passkeySignIn: async () => {
        if (refuse) throw new PasskeyPageError({ error: 'passkey_refused', message: 'This passkey is not registered with Target, or it was removed. Sign in another way.' }, 400);
        return { authenticated: true, name: 'N', email: 'n@example.com' };
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Use your passkey' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This passkey is not registered with Target, or it was removed. Sign in another way.');
    refuse = false;
    await user.click(screen.getByRole('button', { name: 'Use your passkey' }));
    await screen.findByRole('heading', { name: 'You are signed in to Target' });
  });

  it('says a cancelled prompt was cancelled', async () => {
    const { api, user } = setup({}, { authenticate: async () => Promise.reject(new Error('NotAllowedError')) });
    await user.click(await screen.findByRole('button', { name: 'Use your passkey' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The passkey sign-in was cancelled or timed out.');
    expect(api.passkeySignIn).not.toHaveBeenCalled();
  });

  it('says a spent pass is over, in the words of the server, without a button', async () => {
    setup({ ready: async () => Promise.reject(new PasskeyPageError({ error: 'gone', message: 'This passkey sign-in is over or was started elsewhere. Start again from the chat.' }, 410)) });
    await screen.findByRole('heading', { name: 'This passkey sign-in is over' });
    expect(screen.getByRole('alert')).toHaveTextContent('Start again from the chat.');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('says when Target cannot be reached', async () => {
    setup({ ready: async () => Promise.reject(new PasskeyPageError({ error: 'invalid_request', message: 'x' }, 0)) });
    expect(await screen.findByRole('alert')).toHaveTextContent("We couldn't reach Target. Check your connection and reload this page.");
  });

  it('offers no prompt where the browser has no WebAuthn, and says what to do instead', async () => {
    setup({}, { supported: () => false });
    await screen.findByText('This browser cannot use passkeys. Go back to the chat and sign in with your password instead.');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
