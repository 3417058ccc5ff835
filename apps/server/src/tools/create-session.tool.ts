import { ToolName, type CreateSessionResult } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { McpTool, type McpToolProvider, STEP_ANNOTATIONS, type ToolDescriptor } from './mcp-tool.js';
import { toolResult } from './tool-results.js';

@McpTool()
export class CreateSessionTool implements McpToolProvider<undefined> {
  readonly name = ToolName.createSession;
  readonly descriptor: ToolDescriptor<undefined> = {
    title: 'Start Target sign-in',
    description:
      'Creates a sign-in session for the user\'s Target account and returns its sessionId. ' +
      'Call this first, then authenticate-target with the sessionId to show the sign-in form.',
    inputSchema: undefined,
    annotations: STEP_ANNOTATIONS,
  };

  constructor(private readonly sessions: SessionService) {}

  async handle() {
    const { sessionId, expiresAt } = await this.sessions.create();
    const result: CreateSessionResult = { sessionId, message: 'Session created', expiresAt: expiresAt.toISOString() };
    return toolResult(
      result,
      `Session created (sessionId ${sessionId}, valid until ${result.expiresAt}). ` +
        'Call authenticate-target with this sessionId to show the sign-in form.',
    );
  }
}
