import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AccountOverview, AccountStatus, AuthenticatorSetup, ConnectedApp, LinkedSignIn, PasskeyView } from '@target-auth/shared/account';
import { AccountApp } from './AccountApp';
import { type AccountApi, AccountApiError } from './account-api';

const sessionId = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';
const ACCOUNT: AccountOverview = { name: 'Lauren Bailey', email: 'lauren@example.com', profile: null, authenticator: false, recentUntil: Date.now() + 600_000 };
const SIGNED_IN: AccountStatus = { signedIn: true, account: ACCOUNT };
const SETUP: AuthenticatorSetup = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Target:x', qr: 'data:image/svg+xml;base64,PHN2Zy8+' };
const CHATGPT: ConnectedApp = {
  clientId: 'chatgpt',
  client: { name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com' },
  access: ['See your name and e-mail address'],
  linkedAt: Date.UTC(2026, 10, 1, 9),
  lastUsedAt: Date.UTC(2026, 10, 2, 9),
};
const SELF_NAMED: ConnectedApp = { clientId: 'dcr_1', client: { name: 'Notes', verified: false, redirectHost: 'notes.example' }, access: [], linkedAt: Date.UTC(2026, 9, 1), lastUsedAt: null };

const GOOGLE: LinkedSignIn = { provider: 'Google', issuer: 'https://accounts.google.com', subject: 'g-1', email: 'lauren@gmail.example', linkedAt: Date.UTC(2026, 8, 1), lastUsedAt: Date.UTC(2026, 10, 3) };

const LAPTOP: PasskeyView = { id: 'cred-1', name: 'Laptop', synced: true, createdAt: Date.UTC(2026, 10, 1), lastUsedAt: null };

function fakeApi(status: AccountStatus, apps: ConnectedApp[] = [CHATGPT, SELF_NAMED], identities: LinkedSignIn[] = [], passkeys: PasskeyView[] = []) {
  return {
    passkeyOptions: jest.fn<AccountApi['passkeyOptions']>().mockResolvedValue({ challenge: 'Y2hhbGxlbmdl' }),
    passkeySignIn: jest.fn<AccountApi['passkeySignIn']>().mockResolvedValue({ authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' }),
    passkeys: jest.fn<AccountApi['passkeys']>().mockResolvedValue(passkeys),
    passkeyRegistrationOptions: jest.fn<AccountApi['passkeyRegistrationOptions']>().mockResolvedValue({ challenge: 'cmVn' } as never),
    addPasskey: jest.fn<AccountApi['addPasskey']>().mockResolvedValue([LAPTOP]),
    renamePasskey: jest.fn<AccountApi['renamePasskey']>().mockResolvedValue([{ ...LAPTOP, name: 'Work laptop' }]),
    removePasskey: jest.fn<AccountApi['removePasskey']>().mockResolvedValue([]),
    identities: jest.fn<AccountApi['identities']>().mockResolvedValue(identities),
    unlink: jest.fn<AccountApi['unlink']>().mockResolvedValue([]),
    status: jest.fn<AccountApi['status']>().mockResolvedValue(status),
    openSession: jest.fn<AccountApi['openSession']>().mockResolvedValue({ sessionId, providers: [{ id: 'demo', name: 'Demo ID' }] }),
    upstream: jest.fn<AccountApi['upstream']>().mockResolvedValue({ redirectTo: 'https://idp.example/authorize?state=s' }),
    resume: jest.fn<AccountApi['resume']>().mockResolvedValue({ sessionId, authenticated: true, name: 'Grace Hopper', email: 'grace@example.com' }),
    login: jest.fn<AccountApi['login']>().mockResolvedValue(SIGNED_IN),
    apps: jest.fn<AccountApi['apps']>().mockResolvedValue(apps),
    revoke: jest.fn<AccountApi['revoke']>().mockResolvedValue([SELF_NAMED]),
    changePassword: jest.fn<AccountApi['changePassword']>().mockResolvedValue(SIGNED_IN),
    beginAuthenticator: jest.fn<AccountApi['beginAuthenticator']>().mockResolvedValue(SETUP),
    confirmAuthenticator: jest.fn<AccountApi['confirmAuthenticator']>().mockResolvedValue({ signedIn: true, account: { ...ACCOUNT, authenticator: true } }),
    removeAuthenticator: jest.fn<AccountApi['removeAuthenticator']>().mockResolvedValue(SIGNED_IN),
    profiles: jest.fn<AccountApi['profiles']>().mockResolvedValue(['Lauren']),
    addProfile: jest.fn<AccountApi['addProfile']>().mockResolvedValue(['Lauren', 'Kim Bailey']),
    signOut: jest.fn<AccountApi['signOut']>().mockResolvedValue(undefined),
    signOutEverywhere: jest.fn<AccountApi['signOutEverywhere']>().mockResolvedValue(undefined),
  };
}

const realFetch = globalThis.fetch;

afterEach(() => {
  globalThis.fetch = realFetch;
});

/** The session API the sign-in screens call through the HTTP bridge. */
function fakeSessionApi(answers: Record<string, object>) {
  const paths: string[] = [];
  globalThis.fetch = jest.fn(async (input: URL) => {
    paths.push(input.pathname);
    const answer = answers[input.pathname];
    return { ok: answer !== undefined, json: async () => answer ?? { error: 'invalid_session', message: 'Session not found' } };
  }) as unknown as typeof fetch;
  return paths;
}

const refusal = (error: 'not_signed_in' | 'recent_sign_in_required' | 'not_found', message: string, status: number) => new AccountApiError({ error, message }, status);

describe(AccountApp.name, () => {
  it('signs in with the widget screens on a session of its own, then shows the account and its apps', async () => {
    const api = fakeApi({ signedIn: false });
    const paths = fakeSessionApi({
      '/api/session/credentials': { step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'l•••@example.com' } },
      '/api/session/authenticate': { authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' },
    });
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email address'), 'lauren@example.com');
    await user.type(screen.getByLabelText('Password'), 'hunter2');
    await user.click(screen.getByRole('button', { name: 'Sign In' }));
    await screen.findByText("Verify it's you");
    await user.keyboard('123456');
    expect(await screen.findByRole('heading', { name: 'Your Target account' })).toBeVisible();
    expect(api.login).toHaveBeenCalledWith(sessionId);
    expect(paths).toEqual(['/api/session/credentials', '/api/session/authenticate']);
    expect(screen.getByText('Lauren Bailey')).toBeVisible();
    const list = await screen.findByRole('list', { name: 'Connected apps' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).getByText('ChatGPT', { selector: 'strong' })).toBeVisible();
    expect(within(list).getByText('Sends sign-ins to chatgpt.com')).toBeVisible();
    expect(within(list).getByText('Can: See your name and e-mail address')).toBeVisible();
    expect(within(list).getByText(/last used/)).toBeVisible();
    expect(within(list).getByText('(name not verified)', { exact: false })).toBeVisible();
    expect(within(list).getByText(/not used since/)).toBeVisible();
  });

  it('shows a signed-in page at once, with its profile, and says when no app is connected', async () => {
    const api = fakeApi({ signedIn: true, account: { ...ACCOUNT, profile: 'Sam' } }, []);
    render(<AccountApp api={api} apiBase="https://target.test" />);
    expect(await screen.findByText(/profile Sam/)).toBeVisible();
    expect(await screen.findByText(/No apps can use your account/)).toBeVisible();
    expect(api.openSession).not.toHaveBeenCalled();
  });

  it('Revoke asks once more, then ends the app and says so; Cancel keeps it', async () => {
    const api = fakeApi(SIGNED_IN);
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke ChatGPT' }));
    expect(screen.getByText(/ChatGPT will lose access at once/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.revoke).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Revoke ChatGPT' }));
    await user.click(screen.getByRole('button', { name: 'Revoke access' }));
    expect(await screen.findByText('ChatGPT can no longer use your account.')).toBeVisible();
    expect(api.revoke).toHaveBeenCalledWith('chatgpt');
    expect(screen.queryByText('Sends sign-ins to chatgpt.com')).toBeNull();
    expect(screen.getByText('Notes', { selector: 'strong' })).toBeVisible();
  });

  it('says why a revoke failed, and goes back to the sign-in when the page is no longer signed in', async () => {
    const api = fakeApi(SIGNED_IN);
    api.revoke.mockRejectedValueOnce(refusal('not_found', 'That app is not connected to your account.', 404)).mockRejectedValueOnce(refusal('not_signed_in', 'Sign in to see your account.', 401));
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke ChatGPT' }));
    await user.click(screen.getByRole('button', { name: 'Revoke access' }));
    expect(await screen.findByText('That app is not connected to your account.')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Sign in again' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Revoke access' }));
    expect(await screen.findByLabelText('Email address')).toBeVisible();
    expect(api.openSession).toHaveBeenCalledTimes(1);
  });

  it('signs out everywhere after a second word, then offers to sign in', async () => {
    const api = fakeApi(SIGNED_IN);
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Sign out everywhere…' }));
    expect(screen.getByText(/This ends every sign-in of your account/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }));
    expect(await screen.findByRole('heading', { name: 'Signed out everywhere' })).toBeVisible();
    expect(api.signOutEverywhere).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByLabelText('Email address')).toBeVisible();
  });

  it('asks for a new sign-in when a change needs a recent one', async () => {
    const api = fakeApi(SIGNED_IN);
    api.signOutEverywhere.mockRejectedValueOnce(refusal('recent_sign_in_required', 'For your security, sign in again to make this change.', 403));
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Sign out everywhere…' }));
    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }));
    expect(await screen.findByText('For your security, sign in again to make this change.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(await screen.findByLabelText('Email address')).toBeVisible();
    expect(api.signOut).toHaveBeenCalledTimes(1);
  });

  it('changes the password with the current one: says what was wrong, then that it is changed', async () => {
    const api = fakeApi(SIGNED_IN);
    api.changePassword.mockRejectedValueOnce(new AccountApiError({ error: 'wrong_password', message: 'That is not your current password.' }, 401));
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Change password…' }));
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('Enter your current password')).toBeVisible();
    expect(screen.getByText('Enter a new password')).toBeVisible();
    expect(api.changePassword).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Current password'), 'not-it');
    await user.type(screen.getByLabelText('New password'), 'Lantern-Maple-Voyage-7');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('That is not your current password.')).toBeVisible();
    // The form stays open with what was typed.
    expect(screen.getByLabelText('New password')).toHaveValue('Lantern-Maple-Voyage-7');
    await user.clear(screen.getByLabelText('Current password'));
    await user.type(screen.getByLabelText('Current password'), 'hunter2');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Your password is changed. Every other sign-in of your account has ended.')).toBeVisible();
    expect(api.changePassword).toHaveBeenLastCalledWith('hunter2', 'Lantern-Maple-Voyage-7');
    expect(screen.queryByLabelText('Current password')).toBeNull();
    expect(screen.getByRole('button', { name: 'Change password…' })).toBeVisible();
  });

  it('lists the household and adds a profile: a name is needed, a refusal is said, then the new one is listed', async () => {
    const api = fakeApi(SIGNED_IN);
    api.addProfile.mockRejectedValueOnce(new AccountApiError({ error: 'invalid_request', message: 'Your account already has a profile named Lauren.' }, 409));
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'Household' })).toBeVisible();
    expect(await screen.findByText('Lauren', { selector: 'strong' })).toBeVisible();
    expect(screen.getByText('Add a profile for each person who shares your account; each sign-in then asks who is signing in.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Add a profile…' }));
    const form = screen.getByRole('form', { name: 'Add a profile' });
    expect(screen.getByLabelText('Profile name')).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Add profile' }));
    expect(screen.getByText('Enter a name for the profile')).toBeVisible();
    expect(screen.getByLabelText('Profile name')).toHaveAttribute('aria-invalid', 'true');
    expect(api.addProfile).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Profile name'), 'Lauren');
    await user.click(screen.getByRole('button', { name: 'Add profile' }));
    expect(await screen.findByText('Your account already has a profile named Lauren.')).toBeVisible();
    expect(form).toBeVisible();
    await user.clear(screen.getByLabelText('Profile name'));
    await user.type(screen.getByLabelText('Profile name'), ' Kim Bailey ');
    await user.click(screen.getByRole('button', { name: 'Add profile' }));
    expect(await screen.findByText('Kim Bailey can be chosen from your next sign-in on.')).toBeVisible();
    expect(api.addProfile).toHaveBeenLastCalledWith(' Kim Bailey ');
    expect(screen.getByText('Kim Bailey', { selector: 'strong' })).toBeVisible();
    expect(screen.getByText('Each sign-in of your account asks who is signing in:')).toBeVisible();
    expect(screen.queryByRole('form', { name: 'Add a profile' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Add a profile…' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form', { name: 'Add a profile' })).toBeNull();
  });

  it('lists linked sign-ins and unlinks one after a second word; a refusal (the last way in) is said', async () => {
    const api = fakeApi(SIGNED_IN, [], [GOOGLE, { ...GOOGLE, subject: 'g-2', email: null }]);
    api.unlink.mockRejectedValueOnce(new AccountApiError({ error: 'last_way_in', message: 'This is your only way to sign in.' }, 409)).mockResolvedValueOnce([GOOGLE]);
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'Linked sign-ins' })).toBeVisible();
    expect(screen.getByText(/· lauren@gmail.example/, { selector: 'p' })).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Unlink Google' }));
    expect(screen.getByText(/You will no longer sign in with this Google account/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Unlink' }));
    expect(await screen.findByText('This is your only way to sign in.')).toBeVisible();
    expect(api.unlink).toHaveBeenLastCalledWith(expect.objectContaining({ issuer: GOOGLE.issuer, subject: 'g-2' }));
    await user.click(screen.getByRole('button', { name: 'Unlink' }));
    expect(await screen.findByText('Your Google sign-in is unlinked. Every other sign-in of your account has ended.')).toBeVisible();
    expect(screen.getAllByRole('button', { name: /^Unlink Google/ })).toHaveLength(1);
  });

  it('sets up an authenticator app: the QR code and key, then the first code turns it on; then removes it with a code', async () => {
    const api = fakeApi(SIGNED_IN, []);
    api.confirmAuthenticator.mockRejectedValueOnce(new AccountApiError({ error: 'wrong_code', message: "That code doesn't match your authenticator app." }, 401));
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    expect(await screen.findByText('Off: sign-ins ask for a code mailed to you.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Set up an authenticator app…' }));
    expect(await screen.findByRole('img', { name: 'QR code for your authenticator app' })).toHaveAttribute('src', SETUP.qr);
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(screen.getByText('Enter the 6-digit code your app shows')).toBeVisible();
    await user.type(screen.getByLabelText('Code from your app'), '12a3456');
    expect(screen.getByLabelText('Code from your app')).toHaveValue('123456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByText("That code doesn't match your authenticator app.")).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByText('Your authenticator app is on. Every other sign-in of your account has ended.')).toBeVisible();
    expect(api.confirmAuthenticator).toHaveBeenLastCalledWith('123456');
    expect(screen.getByText('On: sign-ins ask for a code from your authenticator app.')).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Remove authenticator app…' }));
    await user.type(screen.getByLabelText('Code from your app'), '654321');
    await user.click(screen.getByRole('button', { name: 'Remove authenticator app' }));
    expect(await screen.findByText('Your authenticator app is removed: sign-ins ask for a mailed code again.')).toBeVisible();
    expect(api.removeAuthenticator).toHaveBeenCalledWith('654321');
    expect(screen.getByRole('button', { name: 'Set up an authenticator app…' })).toBeVisible();
  });

  it('cancels a setup, and says why one cannot begin', async () => {
    const api = fakeApi(SIGNED_IN, []);
    api.beginAuthenticator.mockRejectedValueOnce(new AccountApiError({ error: 'not_available', message: 'Demo mode has no authenticator apps.' }, 409));
    render(<AccountApp api={api} apiBase="https://target.test" />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Set up an authenticator app…' }));
    expect(await screen.findByText('Demo mode has no authenticator apps.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Set up an authenticator app…' }));
    await screen.findByRole('img', { name: 'QR code for your authenticator app' });
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('img')).toBeNull();
    expect(api.confirmAuthenticator).not.toHaveBeenCalled();
  });

  it('signs out of the page', async () => {
    const api = fakeApi(SIGNED_IN);
    render(<AccountApp api={api} apiBase="https://target.test" />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Signed out' })).toBeVisible();
    expect(screen.getByText('You are signed out of your account page.')).toBeVisible();
  });

  it('says so when the server cannot be reached, or the apps are refused for a page signed out since', async () => {
    const api = fakeApi(SIGNED_IN);
    api.status.mockRejectedValueOnce(new AccountApiError({ error: 'invalid_request', message: "We couldn't reach Target." }, 0));
    const { unmount } = render(<AccountApp api={api} apiBase="https://target.test" />);
    expect(await screen.findByRole('heading', { name: "Can't show your account right now" })).toBeVisible();
    expect(screen.getByText("We couldn't reach Target.")).toBeVisible();
    unmount();

    const ended = fakeApi(SIGNED_IN);
    ended.apps.mockRejectedValueOnce(refusal('not_signed_in', 'Sign in to see your account.', 401));
    render(<AccountApp api={ended} apiBase="https://target.test" />);
    await waitFor(() => expect(ended.openSession).toHaveBeenCalledTimes(1));
    expect(await screen.findByLabelText('Email address')).toBeVisible();
  });

  it('signs in with a passkey, then takes the sign-in over', async () => {
    const api = fakeApi({ signedIn: false }, []);
    const authenticate = jest.fn(async (_options: { optionsJSON: object }) => ({ id: 'cred-1' }));
    render(<AccountApp api={api} apiBase="https://target.test" passkeys={{ authenticate, supported: () => true }} />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sign in with a passkey' }));
    expect(await screen.findByRole('heading', { name: 'Your Target account' })).toBeVisible();
    expect(api.passkeySignIn).toHaveBeenCalledWith(sessionId, { id: 'cred-1' });
    expect(api.login).toHaveBeenCalledWith(sessionId);
  });

  it('adds a passkey named first, renames and removes one', async () => {
    const api = fakeApi(SIGNED_IN, [], [], []);
    const register = jest.fn(async (_options: { optionsJSON: object }) => ({ id: 'cred-1' }));
    render(<AccountApp api={api} apiBase="https://target.test" passkeys={{ register, supported: () => true }} />);
    const user = userEvent.setup();
    expect(await screen.findByText('No passkeys yet.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Add a passkey…' }));
    await user.type(screen.getByLabelText('Name it (so you know which one it is)'), 'Laptop');
    await user.click(screen.getByRole('button', { name: 'Create passkey' }));
    expect(await screen.findByText('Your passkey is ready: use it to sign in without a password or code.')).toBeVisible();
    expect(register).toHaveBeenCalledWith({ optionsJSON: { challenge: 'cmVn' } });
    expect(api.addPasskey).toHaveBeenCalledWith({ id: 'cred-1' }, 'Laptop');
    expect(screen.getByText('Laptop', { selector: 'strong' })).toBeVisible();
    expect(screen.getByText(/synced across your devices/)).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Rename Laptop' }));
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'Work laptop');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Work laptop', { selector: 'strong' })).toBeVisible();
    expect(api.renamePasskey).toHaveBeenCalledWith('cred-1', 'Work laptop');

    await user.click(screen.getByRole('button', { name: 'Remove Work laptop' }));
    await user.click(screen.getByRole('button', { name: 'Remove passkey' }));
    expect(await screen.findByText('The passkey “Work laptop” is removed: it signs in no more.')).toBeVisible();
    expect(api.removePasskey).toHaveBeenCalledWith('cred-1');
  });

  it('says when the browser did not create the passkey, and offers none where it cannot', async () => {
    const api = fakeApi(SIGNED_IN, []);
    const register = jest.fn(async () => Promise.reject(new Error('NotAllowedError')));
    const { unmount } = render(<AccountApp api={api} apiBase="https://target.test" passkeys={{ register, supported: () => true }} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add a passkey…' }));
    await user.click(screen.getByRole('button', { name: 'Create passkey' }));
    expect(await screen.findByText('The passkey was not created (cancelled or timed out). Try again.')).toBeVisible();
    expect(api.addPasskey).not.toHaveBeenCalled();
    unmount();
    render(<AccountApp api={fakeApi(SIGNED_IN, [])} apiBase="https://target.test" passkeys={{ supported: () => false }} />);
    expect(await screen.findByText('This browser cannot make passkeys.')).toBeVisible();
  });

  it('goes to a provider keeping the sign-in, and back from it resumes that sign-in and takes it over', async () => {
    const api = fakeApi({ signedIn: false }, []);
    const navigate = jest.fn<(url: string) => void>();
    const kept: string[] = [];
    const memory = { keep: (id: string) => void kept.push(id), take: () => kept.pop() };
    const { unmount } = render(<AccountApp api={api} apiBase="https://target.test" navigate={navigate} memory={memory} />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Continue with Demo ID' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('https://idp.example/authorize?state=s'));
    expect(api.upstream).toHaveBeenCalledWith(sessionId, 'demo');
    expect(kept).toEqual([sessionId]);
    unmount();

    // Back from the provider: the page resumes the kept sign-in, signed in now, and takes it over.
    render(<AccountApp api={api} apiBase="https://target.test" navigate={navigate} memory={memory} />);
    expect(await screen.findByRole('heading', { name: 'Your Target account' })).toBeVisible();
    expect(api.resume).toHaveBeenCalledWith(sessionId);
    expect(api.login).toHaveBeenCalledWith(sessionId);
    expect(api.openSession).toHaveBeenCalledTimes(1);
  });

  it('opens a new sign-in when the kept one is still away at its provider, or gone', async () => {
    for (const resumed of [Promise.resolve({ sessionId, authenticated: false, step: 'upstream' } as const), Promise.reject(new Error('gone'))]) {
      const api = fakeApi({ signedIn: false }, []);
      api.resume.mockReturnValueOnce(resumed);
      const { unmount } = render(<AccountApp api={api} apiBase="https://target.test" navigate={() => undefined} memory={{ keep: () => undefined, take: () => 'sess_kept' }} />);
      expect(await screen.findByLabelText('Email address')).toBeVisible();
      expect(api.resume).toHaveBeenCalledWith('sess_kept');
      expect(api.openSession).toHaveBeenCalledTimes(1);
      unmount();
    }
  });
});
