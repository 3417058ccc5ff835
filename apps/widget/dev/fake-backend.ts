/**
 * The server's tools, faked in the page for the dev harness: demo rules (any
 * credentials; any code, or only 123456 in the wrong-code scenario), a lockout
 * after five wrong codes, and the scenario's starting point.
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

export class FakeBackend {
  private step: 'credentials' | 'verify' | 'authenticated' | 'locked' | 'expired';
  private failed = 0;
  private email = 'lauren@example.com';

  constructor(private readonly scenario: Scenario) {
    this.step = { fresh: 'credentials', 'signed-in': 'authenticated', expired: 'expired', 'wrong-code': 'credentials', locked: 'verify', 'network-failure': 'credentials' }[scenario] as typeof this.step;
    if (scenario === 'locked') this.failed = MAX_CODE_ATTEMPTS - 1;
  }

  /** What `authenticate-target` returned when the widget opened. */
  initialOutput(): OpenAiCallToolResult {
    return this.call(ToolName.authenticate, { sessionId: DEV_SESSION_ID });
  }

  call(name: string, args: Record<string, unknown>): OpenAiCallToolResult {
    if (this.step === 'expired') return refused({ error: 'expired', message: SESSION_EXPIRED_MESSAGE });
    switch (name) {
      case ToolName.authenticate:
        return this.step === 'authenticated'
          ? ok({ sessionId: DEV_SESSION_ID, authenticated: true, name: 'Lauren Bailey', email: this.email })
          : ok({ sessionId: DEV_SESSION_ID, authenticated: false, step: this.step === 'verify' ? 'verify' : 'credentials' });
      case ToolName.submitCredentials:
        if (this.step !== 'credentials') return refused({ error: 'wrong_step', message: 'Enter the 6-digit code.' });
        this.email = String(args['email']);
        this.step = 'verify';
        return ok({ step: 'verify' });
      case ToolName.verifyCode:
        return this.verify(String(args['code']));
      default:
        return refused({ error: 'invalid_input', message: `Unknown tool ${name}` });
    }
  }

  private verify(code: string): OpenAiCallToolResult {
    if (this.step === 'locked') return refused({ error: 'locked', message: SIGN_IN_LOCKED_MESSAGE, attemptsLeft: 0 });
    if (this.step !== 'verify') return refused({ error: 'wrong_step', message: 'Enter your email and password first.' });
    const strict = this.scenario === 'wrong-code' || this.scenario === 'locked';
    if (!strict || code === DEV_RIGHT_CODE) {
      this.step = 'authenticated';
      return ok({ authenticated: true, name: 'Lauren Bailey', email: this.email });
    }
    this.failed++;
    const attemptsLeft = MAX_CODE_ATTEMPTS - this.failed;
    if (attemptsLeft === 0) {
      this.step = 'locked';
      return refused({ error: 'locked', message: SIGN_IN_LOCKED_MESSAGE, attemptsLeft: 0 });
    }
    return refused({ error: 'wrong_code', message: `That code is not right. ${attemptsLeft} attempts left.`, attemptsLeft });
  }
}
