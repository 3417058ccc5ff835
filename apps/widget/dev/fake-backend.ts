/**
 * The server's tools, faked in the page for the dev harness: demo rules (any
 * credentials; any code, or only 123456 in the wrong-code scenario), a lockout
 * after five wrong codes (the locked scenario opens locked, as the server
 * answers a locked session), "Forgot password?" (a new password needs 8
 * characters here), resending, a household's profile picker in the household
 * scenario, "Continue with Google" in the upstream scenario (the start link
 * goes nowhere; the third poll finds the tab signed in), and the scenario's
 * starting point.
 */
import type { OpenAiCallToolResult } from '@target-auth/shared/openai';
import { MAX_CODE_ATTEMPTS, SESSION_EXPIRED_MESSAGE, SIGN_IN_LOCKED_MESSAGE, ToolName } from '@target-auth/shared/tools';
import type { Scenario } from './scenarios';

export const DEV_SESSION_ID = 'sess_devharness0000000000000';
export const DEV_RIGHT_CODE = '123456';

const ok = (structuredContent: object): OpenAiCallToolResult => ({ structuredContent, content: [{ type: 'text', text: 'ok' }] });
const refused = (structuredContent: { error: string; message: string; attemptsLeft?: number }): OpenAiCallToolResult => ({
  isError: true,
  structuredContent,
  content: [{ type: 'text', text: structuredContent.message }],
});

/** The upstream scenario's provider, start link and code. */
export const DEV_PROVIDER = { id: 'google', name: 'Google' };
export const DEV_START_URL = 'https://target.example/auth/start/dev-harness';
const POLLS_BEFORE_SIGNED_IN = 2;

const HOUSEHOLD = [
  { id: 'p-lauren', name: 'Lauren Bailey' },
  { id: 'p-sam', name: 'Sam Bailey' },
];

export class FakeBackend {
  private step: 'credentials' | 'verify' | 'profile' | 'new-password' | 'upstream' | 'authenticated' | 'locked' | 'expired';
  private polls = 0;
  private purpose: 'sign-in' | 'reset' = 'sign-in';
  private failed = 0;
  private email = 'lauren@example.com';
  private profile: string | undefined;

  constructor(private readonly scenario: Scenario) {
    this.step = (
      {
        fresh: 'credentials',
        'signed-in': 'authenticated',
        expired: 'expired',
        'wrong-code': 'credentials',
        locked: 'locked',
        'network-failure': 'credentials',
        household: 'credentials',
        upstream: 'credentials',
      } as const
    )[scenario];
  }

  /** What `authenticate-target` returned when the widget opened. */
  initialOutput(): OpenAiCallToolResult {
    return this.call(ToolName.authenticate, { sessionId: DEV_SESSION_ID });
  }

  call(name: string, args: Record<string, unknown>): OpenAiCallToolResult {
    if (this.step === 'expired') return refused({ error: 'expired', message: SESSION_EXPIRED_MESSAGE });
    if (this.step === 'locked') return refused({ error: 'locked', message: SIGN_IN_LOCKED_MESSAGE, attemptsLeft: 0 });
    switch (name) {
      case ToolName.authenticate:
        if (this.step === 'authenticated') return ok(this.signedIn());
        if (this.step === 'profile') return ok({ sessionId: DEV_SESSION_ID, authenticated: false, step: 'profile', profiles: HOUSEHOLD });
        if (this.step === 'verify') return ok({ sessionId: DEV_SESSION_ID, authenticated: false, step: 'verify', purpose: this.purpose, delivery: this.delivery() });
        return ok({ ...this.pending(), ...(this.scenario === 'upstream' && { providers: [DEV_PROVIDER] }) });
      case ToolName.startUpstream:
        if (this.step !== 'credentials' && this.step !== 'upstream') return refused({ error: 'wrong_step', message: 'Enter the 6-digit code.' });
        this.step = 'upstream';
        this.polls = 0;
        return ok({ step: 'upstream', provider: DEV_PROVIDER, url: DEV_START_URL, code: 'BCDF-GHJK', expiresAt: new Date(Date.now() + 600_000).toISOString() });
      case ToolName.checkUpstream:
        if (this.step === 'upstream' && args['cancel'] === true) this.step = 'credentials';
        if (this.step === 'upstream' && ++this.polls > POLLS_BEFORE_SIGNED_IN) this.step = 'authenticated';
        return ok(this.step === 'authenticated' ? this.signedIn() : this.pending());
      case ToolName.submitCredentials:
      case ToolName.startPasswordReset:
        if (this.step !== 'credentials') return refused({ error: 'wrong_step', message: 'Enter the 6-digit code.' });
        this.email = String(args['email']);
        this.purpose = name === ToolName.startPasswordReset ? 'reset' : 'sign-in';
        this.step = 'verify';
        return ok({ step: 'verify', purpose: this.purpose, delivery: this.delivery() });
      case ToolName.resendCode:
        if (this.step !== 'verify') return refused({ error: 'wrong_step', message: 'Enter your email and password first.' });
        return ok({ step: 'verify', purpose: this.purpose, delivery: this.delivery() });
      case ToolName.verifyCode:
        return this.verify(String(args['code']));
      case ToolName.setPassword:
        if (this.step !== 'new-password') return refused({ error: 'wrong_step', message: 'Enter the 6-digit code first.' });
        if (String(args['password']).length < 8) return refused({ error: 'weak_password', message: 'Use at least 8 characters.' });
        return ok(this.afterCode());
      case ToolName.selectProfile: {
        const chosen = HOUSEHOLD.find((profile) => profile.id === args['profileId']);
        if (this.step !== 'profile' || !chosen) return refused({ error: 'invalid_input', message: 'Choose one of the profiles shown.' });
        this.profile = chosen.name;
        this.step = 'authenticated';
        return ok(this.signedIn());
      }
      default:
        return refused({ error: 'invalid_input', message: `Unknown tool ${name}` });
    }
  }

  private verify(code: string): OpenAiCallToolResult {
    if (this.step !== 'verify') return refused({ error: 'wrong_step', message: 'Enter your email and password first.' });
    const strict = this.scenario === 'wrong-code';
    if (!strict || code === DEV_RIGHT_CODE) {
      if (this.purpose === 'reset') {
        this.step = 'new-password';
        return ok({ authenticated: false, step: 'new-password' });
      }
      return ok(this.afterCode());
    }
    this.failed++;
    const attemptsLeft = MAX_CODE_ATTEMPTS - this.failed;
    if (attemptsLeft === 0) {
      this.step = 'locked';
      return refused({ error: 'locked', message: SIGN_IN_LOCKED_MESSAGE, attemptsLeft: 0 });
    }
    return refused({ error: 'wrong_code', message: `That code is not right. ${attemptsLeft} attempts left.`, attemptsLeft });
  }

  /** Signed in, or (household scenario) the profile picker. */
  private afterCode(): object {
    if (this.scenario === 'household') {
      this.step = 'profile';
      return { authenticated: false, step: 'profile', profiles: HOUSEHOLD };
    }
    this.step = 'authenticated';
    return this.signedIn();
  }

  private pending(): object {
    const step = this.step === 'new-password' || this.step === 'upstream' ? this.step : 'credentials';
    return { sessionId: DEV_SESSION_ID, authenticated: false, step };
  }

  private signedIn(): object {
    return { sessionId: DEV_SESSION_ID, authenticated: true, name: 'Lauren Bailey', email: this.email, ...(this.profile ? { profile: this.profile } : {}) };
  }

  private delivery(): object {
    return { method: 'email', sentTo: `${this.email[0]}•••${this.email.slice(this.email.indexOf('@'))}` };
  }
}
