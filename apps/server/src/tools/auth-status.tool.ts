import { INVALID_SESSION_MESSAGE, SESSION_EXPIRED_MESSAGE, SIGN_IN_LOCKED_MESSAGE, ToolName, type AuthStatusResult } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { sessionInput } from '../session/session.inputs.js';
import { StepError } from '../session/step-error.js';
import { McpTool, type McpToolProvider, type ToolDescriptor } from './mcp-tool.js';
import { toolResult, whoText } from './tool-results.js';

/** Tells the model who is signed in, without showing the widget. */
@McpTool()
export class AuthStatusTool implements McpToolProvider<typeof sessionInput> {
  readonly name = ToolName.authStatus;
  readonly descriptor: ToolDescriptor<typeof sessionInput> = {
    title: 'Check Target sign-in',
    description: 'Returns whether the session is signed in to Target, and as whom (email, name and, for household accounts, the profile).',
    inputSchema: sessionInput,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  };

  constructor(private readonly sessions: SessionService) {}

  async handle({ sessionId }: { sessionId: string }) {
    const view = await this.sessions.view(sessionId);
    switch (view.state) {
      case 'unknown':
        throw new StepError('invalid_session', INVALID_SESSION_MESSAGE);
      case 'expired': {
        const result: AuthStatusResult = { authenticated: false, expired: true };
        return toolResult(result, SESSION_EXPIRED_MESSAGE);
      }
      case 'authenticated': {
        const result: AuthStatusResult = {
          authenticated: true,
          email: view.email,
          name: view.name,
          ...(view.profile !== null ? { profile: view.profile } : {}),
        };
        return toolResult(result, `Signed in to Target as ${whoText(view)}.`);
      }
      case 'locked': {
        const result: AuthStatusResult = { authenticated: false, locked: true };
        return toolResult(result, SIGN_IN_LOCKED_MESSAGE);
      }
      case 'pending': {
        const result: AuthStatusResult = { authenticated: false, email: null, name: null };
        return toolResult(result, 'Not signed in yet.');
      }
    }
  }
}
