/**
 * Each sign-in tool's answer for each state the session service reports: what the widget reads
 * (`structuredContent`) and what the model reads (the text), against a scripted session service. The
 * flow itself, on the real service, is covered by the e2e specs; this pins every branch's words.
 */
import { describe, expect, it } from '@jest/globals';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { INVALID_SESSION_MESSAGE, SESSION_EXPIRED_MESSAGE, SIGN_IN_LOCKED_MESSAGE } from '@target-auth/shared/tools';
import { SessionService, type SessionView } from '../session/session.service.js';
import type { UpstreamSignIn } from '../upstream/upstream-sign-in.js';
import type { WidgetResource } from '../widget/widget.resource.js';
import { SignInScreens } from './sign-in-screens.js';
import { AuthStatusTool } from './auth-status.tool.js';
import { AuthenticateTool } from './authenticate.tool.js';
import { CreateSessionTool } from './create-session.tool.js';
import { ResendCodeTool } from './resend-code.tool.js';
import { SelectProfileTool } from './select-profile.tool.js';
import { SetPasswordTool } from './set-password.tool.js';
import { StartPasswordResetTool } from './start-password-reset.tool.js';
import { SubmitCredentialsTool } from './submit-credentials.tool.js';
import { VerifyCodeTool } from './verify-code.tool.js';
import { runStep } from './tool-results.js';

const SESSION = 'sess_AAAAAAAAAAAAAAAAAAAAAAAA';
const signedIn = { authenticated: true as const, name: 'Sam Home', email: 'home@example.com' };
const codeSent = { step: 'verify' as const, purpose: 'sign-in' as const, delivery: { method: 'email' as const, sentTo: 'h***@example.com' } };

/**
 * A session service that answers every call with `answer` and records what it was asked; `screens` is
 * the real one (it says the `open` view as the screens start from it).
 */
function sessions(answer: unknown) {
  const calls: [string, unknown[]][] = [];
  const service: SessionService = new Proxy(
    {},
    {
      get: (_target, method: string) =>
        method === 'screens'
          ? (sessionId: string) => SessionService.prototype.screens.call(service, sessionId)
          : async (...args: unknown[]) => {
              calls.push([method, args]);
              return answer;
            },
    },
  ) as SessionService;
  return { service, calls };
}

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('authenticate-target', () => {
  const widget = { uri: 'ui://widget/target-auth-000000000000.html' } as WidgetResource;
  const upstream = (providers: { id: string; name: string }[] = []) => ({ providers: () => providers }) as unknown as UpstreamSignIn;
  const run = async (view: SessionView, providers?: { id: string; name: string }[]) => {
    const { service, calls } = sessions(view);
    const result = await runStep(() => new AuthenticateTool(new SignInScreens(service, upstream(providers)), widget).handle({ sessionId: SESSION }));
    expect(calls).toEqual([['open', [SESSION]]]);
    return result;
  };

  it('refuses an unknown, expired or locked session with the shared words', async () => {
    expect((await run({ state: 'unknown' })).structuredContent).toEqual({ error: 'invalid_session', message: INVALID_SESSION_MESSAGE });
    expect((await run({ state: 'expired' })).structuredContent).toEqual({ error: 'expired', message: SESSION_EXPIRED_MESSAGE });
    expect(await run({ state: 'locked' })).toMatchObject({
      isError: true,
      structuredContent: { error: 'locked', message: SIGN_IN_LOCKED_MESSAGE, attemptsLeft: 0 },
    });
  });

  it('opens on the success screen for a signed-in session, naming a profile only when there is one', async () => {
    const plain = await run({ state: 'authenticated', name: 'Ada', email: 'ada@example.com', profile: null });
    expect(plain.structuredContent).toEqual({ sessionId: SESSION, authenticated: true, name: 'Ada', email: 'ada@example.com' });
    expect(text(plain)).toBe('Already signed in to Target as Ada (ada@example.com).');
    const household = await run({ state: 'authenticated', name: 'Sam Home', email: 'home@example.com', profile: 'Alex' });
    expect(household.structuredContent).toMatchObject({ profile: 'Alex' });
  });

  it('shows the step the sign-in is at, with where the code went and whom to choose', async () => {
    const profiles = [{ id: 'p1', name: 'Alex' }];
    const result = await run({ state: 'pending', step: 'profile', purpose: 'sign-in', delivery: { method: 'totp' }, profiles });
    expect(result.structuredContent).toEqual({
      sessionId: SESSION,
      authenticated: false,
      step: 'profile',
      purpose: 'sign-in',
      delivery: { method: 'totp' },
      profiles,
    });
    expect(text(result)).toBe('Authentication required. The user signs in with the form shown.');
  });

  it('offers the configured upstream providers while the sign-in is pending, and none once signed in', async () => {
    const google = [{ id: 'google', name: 'Google' }];
    expect((await run({ state: 'pending', step: 'credentials' }, google)).structuredContent).toEqual({ sessionId: SESSION, authenticated: false, step: 'credentials', providers: google });
    expect((await run({ state: 'pending', step: 'credentials' })).structuredContent).toEqual({ sessionId: SESSION, authenticated: false, step: 'credentials' });
    const done = await run({ state: 'authenticated', name: 'Ada', email: 'ada@example.com', profile: null }, google);
    expect(done.structuredContent).not.toHaveProperty('providers');
  });

  it('names the widget build it shows, for ChatGPT and MCP Apps hosts alike', () => {
    const { _meta } = new AuthenticateTool(new SignInScreens(sessions(null).service, upstream()), widget).descriptor;
    expect(_meta).toMatchObject({ ui: { resourceUri: widget.uri }, 'openai/outputTemplate': widget.uri });
  });
});

describe('get-target-auth-status', () => {
  const run = async (view: SessionView) => {
    const { service, calls } = sessions(view);
    const result = await runStep(() => new AuthStatusTool(service).handle({ sessionId: SESSION }));
    expect(calls).toEqual([['view', [SESSION]]]);
    return result;
  };

  it('refuses an unknown session', async () => {
    expect((await run({ state: 'unknown' })).structuredContent).toEqual({ error: 'invalid_session', message: INVALID_SESSION_MESSAGE });
  });

  it('says expired, locked or not yet signed in, in words the model can repeat', async () => {
    const expired = await run({ state: 'expired' });
    expect([expired.structuredContent, text(expired)]).toEqual([{ authenticated: false, expired: true }, SESSION_EXPIRED_MESSAGE]);
    const locked = await run({ state: 'locked' });
    expect([locked.structuredContent, text(locked)]).toEqual([{ authenticated: false, locked: true }, SIGN_IN_LOCKED_MESSAGE]);
    const pending = await run({ state: 'pending', step: 'verify' });
    expect([pending.structuredContent, text(pending)]).toEqual([{ authenticated: false, email: null, name: null }, 'Not signed in yet.']);
  });

  it('says who is signed in, naming the profile only when it is not the account holder', async () => {
    const plain = await run({ state: 'authenticated', name: 'Ada', email: 'ada@example.com', profile: null });
    expect(plain.structuredContent).toEqual({ authenticated: true, email: 'ada@example.com', name: 'Ada' });
    expect(text(plain)).toBe('Signed in to Target as Ada (ada@example.com).');
    const holder = await run({ state: 'authenticated', name: 'Sam', email: 'home@example.com', profile: 'Sam' });
    expect(holder.structuredContent).toEqual({ authenticated: true, email: 'home@example.com', name: 'Sam', profile: 'Sam' });
    expect(text(holder)).toBe('Signed in to Target as Sam (home@example.com).');
    const other = await run({ state: 'authenticated', name: 'Sam', email: 'home@example.com', profile: 'Alex' });
    expect(text(other)).toBe('Signed in to Target as Sam (home@example.com, profile Alex).');
  });
});

describe('create-target-session', () => {
  it('returns the new session and when it expires, and tells the model the next call', async () => {
    const { service } = sessions({ sessionId: SESSION, expiresAt: new Date(Date.UTC(2026, 10, 28, 12, 10)) });
    const result = await runStep(() => new CreateSessionTool(service).handle());
    expect(result.structuredContent).toEqual({ sessionId: SESSION, message: 'Session created', expiresAt: '2026-11-28T12:10:00.000Z' });
    expect(text(result)).toBe(
      `Session created (sessionId ${SESSION}, valid until 2026-11-28T12:10:00.000Z). Call authenticate-target with this sessionId to show the sign-in form.`,
    );
  });
});

describe('the widget-only step tools', () => {
  it('submit-target-credentials passes the e-mail, password and challenge on, and never repeats them', async () => {
    const { service, calls } = sessions(codeSent);
    const device = 'd'.repeat(43);
    const result = await runStep(() => new SubmitCredentialsTool(service).handle({ sessionId: SESSION, email: 'ada@example.com', password: 'hunter2!', altcha: 'pow', device }));
    expect(calls).toEqual([['submitCredentials', [SESSION, 'ada@example.com', 'hunter2!', { altcha: 'pow', device }]]]);
    expect(JSON.stringify(result)).not.toContain(device);
    expect(result.structuredContent).toEqual(codeSent);
    expect(text(result)).toBe('Credentials accepted; waiting for the 6-digit code.');
    expect(JSON.stringify(result)).not.toContain('hunter2!');
  });

  it('verify-target-code passes the code on and says who signed in or what comes next', async () => {
    const { service, calls } = sessions(signedIn);
    const result = await runStep(() => new VerifyCodeTool(service).handle({ sessionId: SESSION, code: '123456' }));
    expect(calls).toEqual([['verifyCode', [SESSION, '123456']]]);
    expect(result.structuredContent).toEqual(signedIn);
    expect(text(result)).toBe('Signed in to Target as Sam Home (home@example.com).');
    expect(JSON.stringify(result)).not.toContain('123456');
  });

  it('resend-target-code sends another code', async () => {
    const { service, calls } = sessions(codeSent);
    const result = await runStep(() => new ResendCodeTool(service).handle({ sessionId: SESSION }));
    expect(calls).toEqual([['resendCode', [SESSION]]]);
    expect([result.structuredContent, text(result)]).toEqual([codeSent, 'A new code was sent.']);
  });

  it('reset-target-password answers alike whether or not the e-mail has an account', async () => {
    const reset = { ...codeSent, purpose: 'reset' as const };
    const { service, calls } = sessions(reset);
    const device = 'd'.repeat(43);
    const result = await runStep(() => new StartPasswordResetTool(service).handle({ sessionId: SESSION, email: 'who@example.com', device }));
    expect(calls).toEqual([['startPasswordReset', [SESSION, 'who@example.com', device]]]);
    expect(JSON.stringify(result)).not.toContain(device);
    expect([result.structuredContent, text(result)]).toEqual([reset, 'If that e-mail has an account, a reset code was sent.']);
  });

  it('set-target-password and select-target-profile say who signed in', async () => {
    const withPassword = sessions(signedIn);
    const set = await runStep(() => new SetPasswordTool(withPassword.service).handle({ sessionId: SESSION, password: 'a new long password' }));
    expect(withPassword.calls).toEqual([['setPassword', [SESSION, 'a new long password']]]);
    expect(text(set)).toBe('Signed in to Target as Sam Home (home@example.com).');
    expect(JSON.stringify(set)).not.toContain('a new long password');

    const household = sessions({ ...signedIn, profile: 'Alex' });
    const chosen = await runStep(() => new SelectProfileTool(household.service).handle({ sessionId: SESSION, profileId: 'p1' }));
    expect(household.calls).toEqual([['selectProfile', [SESSION, 'p1']]]);
    expect(text(chosen)).toBe('Signed in to Target as Sam Home (home@example.com, profile Alex).');
  });
});
