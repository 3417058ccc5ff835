import { ToolName } from '@target-auth/shared/tools';
import { SessionService } from '../session/session.service.js';
import { resetInput, type ResetInput } from '../session/session.inputs.js';
import { appOnlyToolMeta, McpTool, type McpToolProvider, STEP_ANNOTATIONS, type ToolDescriptor } from './mcp-tool.js';
import { toolResult } from './tool-results.js';

/** Widget-only "Forgot password?": a reset code mailed to the e-mail typed (same answer whether or not it has an account). */
@McpTool()
export class StartPasswordResetTool implements McpToolProvider<typeof resetInput> {
  readonly name = ToolName.startPasswordReset;
  readonly descriptor: ToolDescriptor<typeof resetInput> = {
    title: 'Reset Target password',
    description: 'Called by the sign-in widget only: mails a code to reset the password of the e-mail typed.',
    inputSchema: resetInput,
    annotations: STEP_ANNOTATIONS,
    _meta: appOnlyToolMeta,
  };

  constructor(private readonly sessions: SessionService) {}

  async handle({ sessionId, email, device }: ResetInput) {
    return toolResult(await this.sessions.startPasswordReset(sessionId, email, device), 'If that e-mail has an account, a reset code was sent.');
  }
}
