import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { InteractionDetails, InteractionRedirect } from '@target-auth/shared/linking';
import { HostedApp } from './HostedApp';
import { type InteractionApi, InteractionApiError } from './interaction-api';

const sessionId = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';
const client = { name: 'ChatGPT', verified: true, redirectHost: 'chatgpt.com' };

function fakeApi(details: InteractionDetails) {
  const api = {
    details: jest.fn<InteractionApi['details']>().mockResolvedValue(details),
    openSession: jest.fn<InteractionApi['openSession']>().mockResolvedValue(sessionId),
    login: jest.fn<InteractionApi['login']>().mockResolvedValue({ redirectTo: '/authorize/after-login' }),
    consent: jest.fn<InteractionApi['consent']>().mockResolvedValue({ redirectTo: '/authorize/after-consent' }),
    deny: jest.fn<InteractionApi['deny']>().mockResolvedValue({ redirectTo: '/authorize/after-deny' }),
    upstream: jest.fn<InteractionApi['upstream']>().mockResolvedValue({ redirectTo: 'https://accounts.google.example/authorize?state=s' }),
    resume: jest.fn<InteractionApi['resume']>().mockRejectedValue(new InteractionApiError({ error: 'interaction_expired', message: 'Session not found' }, 404)),
    passkeyOptions: jest.fn<InteractionApi['passkeyOptions']>().mockResolvedValue({ challenge: 'Y2hhbGxlbmdl', rpId: 'target.test', userVerification: 'required', allowCredentials: [] }),
    passkeySignIn: jest.fn<InteractionApi['passkeySignIn']>().mockResolvedValue({ authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' }),
  };
  return api;
}

/** The session API on this origin, as the sign-in screens call it through the HTTP bridge. */
function fakeSessionApi(answers: Record<string, object>) {
  const calls: { path: string; body: unknown }[] = [];
  const fetchMock = jest.fn(async (input: URL, init?: { body?: string }) => {
    const path = input.pathname;
    calls.push({ path, body: JSON.parse(init?.body ?? '{}') });
    const answer = answers[path];
    return { ok: answer !== undefined, json: async () => answer ?? { error: 'invalid_session', message: 'Session not found' } };
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return calls;
}

const realFetch = globalThis.fetch;

afterEach(() => {
  globalThis.fetch = realFetch;
});

describe(HostedApp.name, () => {
  let navigate: jest.Mock<(url: string) => void>;

  beforeEach(() => {
    navigate = jest.fn<(url: string) => void>();
  });

  it('signs in with the widget screens on a session of its own, hands it over, and goes on', async () => {
    const api = fakeApi({ prompt: 'login', client, providers: [] });
    const calls = fakeSessionApi({
      '/api/session/credentials': { step: 'verify', purpose: 'sign-in', delivery: { method: 'email', sentTo: 'l•••@example.com' } },
      '/api/session/authenticate': { authenticated: true, name: 'Lauren Bailey', email: 'lauren@example.com' },
    });
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email address'), 'lauren@example.com');
    await user.type(screen.getByLabelText('Password'), 'hunter2');
    await user.click(screen.getByRole('button', { name: 'Sign In' }));
    await screen.findByText("Verify it's you");
    await user.keyboard('123456');
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/authorize/after-login'));
    expect(api.openSession).toHaveBeenCalledTimes(1);
    expect(api.login).toHaveBeenCalledWith(sessionId);
    expect(calls.map((call) => call.path)).toEqual(['/api/session/credentials', '/api/session/authenticate']);
    // The page keeps a device key in this origin's storage: a browser that signed in before is spared strangers' failures.
    expect(calls[0]!.body).toEqual({ sessionId, email: 'lauren@example.com', password: 'hunter2', device: localStorage.getItem('target-auth.device') });
    expect(localStorage.getItem('target-auth.device')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('asks for consent naming the app, what it sees and who is signed in; Allow goes on', async () => {
    const api = fakeApi({ prompt: 'consent', client, account: { name: 'Lauren Bailey', email: 'lauren@example.com' } });
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} />);
    expect(await screen.findByRole('heading', { name: 'ChatGPT wants to see your Target account' })).toBeVisible();
    expect(screen.getByText('your name')).toBeVisible();
    expect(screen.getByText('your e-mail address')).toBeVisible();
    expect(screen.getByText('Lauren Bailey')).toBeVisible();
    expect(api.openSession).not.toHaveBeenCalled();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Allow' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/authorize/after-consent'));
    expect(api.deny).not.toHaveBeenCalled();
  });

  it('Cancel declines', async () => {
    const api = fakeApi({ prompt: 'consent', client, account: { name: 'Lauren Bailey', email: 'lauren@example.com' } });
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/authorize/after-deny'));
    expect(api.consent).not.toHaveBeenCalled();
  });

  it('sends one consent when Allow is pressed twice', async () => {
    const api = fakeApi({ prompt: 'consent', client, account: { name: 'Lauren Bailey', email: 'lauren@example.com' } });
    let finish!: (redirect: InteractionRedirect) => void;
    api.consent.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} />);
    const allow = await screen.findByRole('button', { name: 'Allow' });
    const user = userEvent.setup();
    await user.click(allow);
    await user.click(allow);
    finish({ redirectTo: '/authorize/x' });
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1));
    expect(api.consent).toHaveBeenCalledTimes(1);
  });

  it('shows a refused consent and lets the person try again', async () => {
    const api = fakeApi({ prompt: 'consent', client, account: { name: 'Lauren Bailey', email: 'lauren@example.com' } });
    api.consent.mockRejectedValueOnce(new InteractionApiError({ error: 'invalid_request', message: 'Try again.' }, 409));
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Allow' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Try again.');
    await user.click(screen.getByRole('button', { name: 'Allow' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/authorize/after-consent'));
  });

  it('says plainly when the link expired', async () => {
    const api = fakeApi({ prompt: 'login', client, providers: [] });
    api.details.mockRejectedValue(new InteractionApiError({ error: 'interaction_expired', message: 'This sign-in link expired.' }, 400));
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('This sign-in link expired.');
    expect(navigate).not.toHaveBeenCalled();
  });

  it('follows the system colour scheme', async () => {
    const listeners: (() => void)[] = [];
    const media = { matches: true, addEventListener: (_: string, listener: () => void) => listeners.push(listener), removeEventListener: () => undefined };
    window.matchMedia = (() => media) as unknown as typeof window.matchMedia;
    try {
      render(<HostedApp api={fakeApi({ prompt: 'consent', client, account: { name: 'A', email: 'a@example.com' } })} apiBase="https://target.test" navigate={navigate} />);
      await screen.findByRole('button', { name: 'Allow' });
      expect(document.documentElement.dataset['theme']).toBe('dark');
      media.matches = false;
      listeners.forEach((listener) => listener());
      expect(document.documentElement.dataset['theme']).toBe('light');
    } finally {
      delete (window as { matchMedia?: unknown }).matchMedia;
    }
  });
});

describe('HostedApp, expired sign-in', () => {
  it('sends the person back to the app, not to an assistant', async () => {
    const api = fakeApi({ prompt: 'login', client, providers: [] });
    fakeSessionApi({});
    globalThis.fetch = (async () => ({ ok: false, json: async () => ({ error: 'expired', message: 'Your session has expired. Please sign in again.' }) })) as unknown as typeof fetch;
    render(<HostedApp api={api} apiBase="https://target.test" navigate={() => undefined} />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email address'), 'lauren@example.com');
    await user.type(screen.getByLabelText('Password'), 'hunter2');
    await user.click(screen.getByRole('button', { name: 'Sign In' }));
    expect(await screen.findByText('Go back to the app and connect your Target account again.')).toBeVisible();
    expect(screen.queryByText(/Ask the assistant/)).toBeNull();
  });
});

describe('HostedApp, upstream providers', () => {
  const providers = [
    { id: 'google', name: 'Google' },
    { id: 'microsoft', name: 'Microsoft' },
  ];
  /** A SessionMemory that starts with `kept` and records what is kept. */
  const memoryWith = (kept?: string) => {
    const log: string[] = [];
    let held = kept;
    return {
      log,
      memory: {
        keep: (id: string) => void log.push(id),
        take: () => {
          const taken = held;
          held = undefined;
          return taken;
        },
      },
    };
  };

  it('offers "Continue with …" under the password form, keeps the session and leaves for the provider', async () => {
    const api = fakeApi({ prompt: 'login', client, providers });
    const navigate = jest.fn<(url: string) => void>();
    const { memory, log } = memoryWith();
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} memory={memory} />);
    const user = userEvent.setup();
    const group = await screen.findByRole('group', { name: 'Other ways to sign in' });
    expect(group).toHaveTextContent('orContinue with GoogleContinue with Microsoft');
    await user.click(screen.getByRole('button', { name: 'Continue with Microsoft' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('https://accounts.google.example/authorize?state=s'));
    expect(api.upstream).toHaveBeenCalledWith(sessionId, 'microsoft');
    expect(log).toEqual([sessionId]);
  });

  it('shows no provider buttons when none is configured', async () => {
    render(<HostedApp api={fakeApi({ prompt: 'login', client, providers: [] })} apiBase="https://target.test" navigate={() => undefined} />);
    await screen.findByLabelText('Email address');
    expect(screen.queryByRole('button', { name: /Continue with/ })).toBeNull();
  });

  it('says so when the provider cannot be reached, keeping nothing', async () => {
    const api = fakeApi({ prompt: 'login', client, providers });
    api.upstream.mockRejectedValueOnce(new InteractionApiError({ error: 'unavailable', message: 'Google cannot be reached right now. Try again in a moment.' }, 503));
    const { memory, log } = memoryWith();
    render(<HostedApp api={api} apiBase="https://target.test" navigate={() => undefined} memory={memory} />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Continue with Google' }));
    expect(await screen.findByText('Google cannot be reached right now. Try again in a moment.')).toBeVisible();
    expect(log).toEqual([]);
  });

  it('back from the provider signed in, hands the kept session over without opening another', async () => {
    const api = fakeApi({ prompt: 'login', client, providers });
    api.resume.mockResolvedValueOnce({ sessionId: 'sess_KEPTKEPTKEPTKEPTKEPTKEPT', authenticated: true, name: 'Nia', email: 'nia@example.com' });
    const navigate = jest.fn<(url: string) => void>();
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} memory={memoryWith('sess_KEPTKEPTKEPTKEPTKEPTKEPT').memory} />);
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/authorize/after-login'));
    expect(api.resume).toHaveBeenCalledWith('sess_KEPTKEPTKEPTKEPTKEPTKEPT');
    expect(api.login).toHaveBeenCalledWith('sess_KEPTKEPTKEPTKEPTKEPTKEPT');
    expect(api.openSession).not.toHaveBeenCalled();
  });

  it("back from the provider for an account to prove, asks for that account's code", async () => {
    const api = fakeApi({ prompt: 'login', client, providers });
    api.resume.mockResolvedValueOnce({ sessionId, authenticated: false, step: 'verify', purpose: 'link', delivery: { method: 'email', sentTo: 'h•••@example.com' } });
    render(<HostedApp api={api} apiBase="https://target.test" navigate={() => undefined} memory={memoryWith(sessionId).memory} />);
    expect(await screen.findByRole('heading', { name: "Confirm it's your account" })).toBeVisible();
    expect(screen.getByText(/Prove it is yours to add your new sign-in/)).toBeVisible();
  });

  it('opens a new session when the kept one ended or is still marked away', async () => {
    for (const answer of [
      () => Promise.reject(new InteractionApiError({ error: 'interaction_expired', message: 'expired' }, 410)),
      () => Promise.resolve({ sessionId: 'sess_AWAYAWAYAWAYAWAYAWAYAWAY', authenticated: false as const, step: 'upstream' as const }),
    ]) {
      const api = fakeApi({ prompt: 'login', client, providers });
      api.resume.mockImplementationOnce(answer);
      const { unmount } = render(<HostedApp api={api} apiBase="https://target.test" navigate={() => undefined} memory={memoryWith('sess_AWAYAWAYAWAYAWAYAWAYAWAY').memory} />);
      await screen.findByLabelText('Email address');
      expect(api.openSession).toHaveBeenCalledTimes(1);
      unmount();
    }
  });
});

describe('HostedApp, passkeys', () => {
  const navigate = jest.fn<(url: string) => void>();

  beforeEach(() => {
    navigate.mockReset();
  });

  it('signs in with a passkey where the browser has them: no password, no code, then hands the sign-in over', async () => {
    const api = fakeApi({ prompt: 'login', client, providers: [] });
    const authenticate = jest.fn(async (_options: { optionsJSON: object }) => ({ id: 'cred-1', type: 'public-key' }));
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} passkeys={{ authenticate, supported: () => true }} />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sign in with a passkey' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/authorize/after-login'));
    expect(api.passkeyOptions).toHaveBeenCalledWith(sessionId);
    expect(authenticate).toHaveBeenCalledWith({ optionsJSON: { challenge: 'Y2hhbGxlbmdl', rpId: 'target.test', userVerification: 'required', allowCredentials: [] } });
    expect(api.passkeySignIn).toHaveBeenCalledWith(sessionId, { id: 'cred-1', type: 'public-key' });
    expect(api.login).toHaveBeenCalledWith(sessionId);
  });

  it('says when the passkey prompt was cancelled or the server refused it, keeping the password form', async () => {
    const api = fakeApi({ prompt: 'login', client, providers: [] });
    const authenticate = jest.fn(async () => Promise.reject(new Error('NotAllowedError')));
    render(<HostedApp api={api} apiBase="https://target.test" navigate={navigate} passkeys={{ authenticate, supported: () => true }} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Sign in with a passkey' }));
    expect(await screen.findByText('The passkey sign-in was cancelled or timed out. Try again, or sign in with your password.')).toBeVisible();
    expect(api.passkeySignIn).not.toHaveBeenCalled();
    authenticate.mockResolvedValueOnce({ id: 'gone' } as never);
    api.passkeySignIn.mockRejectedValueOnce(new InteractionApiError({ error: 'invalid_request', message: 'This passkey is not registered with Target.' }, 400));
    await user.click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    expect(await screen.findByText('This passkey is not registered with Target.')).toBeVisible();
    expect(screen.getByLabelText('Email address')).toBeVisible();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('offers no passkey where the browser has none', async () => {
    render(<HostedApp api={fakeApi({ prompt: 'login', client, providers: [] })} apiBase="https://target.test" navigate={navigate} passkeys={{ supported: () => false }} />);
    await screen.findByLabelText('Email address');
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).toBeNull();
  });
});
